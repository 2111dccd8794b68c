export * from './documents';
export * from './outcome';
export * from './progress-display';
