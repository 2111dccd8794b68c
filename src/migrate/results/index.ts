export * from './errors';
export * from './results';
