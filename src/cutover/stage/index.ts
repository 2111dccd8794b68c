export * from './check';
export * from './stage';
