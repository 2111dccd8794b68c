export * from './diff-rows';
export * from './row-problems';
