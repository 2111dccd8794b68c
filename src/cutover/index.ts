export * from './checks';
export * from './results';
export * from './stage';
export * from './status';
