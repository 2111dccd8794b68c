export * from './backfill';
export * from './demo';
export * from './init';
export * from './report';
export * from './status';
export * from './translate';
export * from './verify';
