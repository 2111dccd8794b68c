export * from './checks';
export * from './stage';
export * from './status';
