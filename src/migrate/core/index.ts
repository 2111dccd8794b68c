export * from './columns';
export * from './errors';
export * from './key-order';
export * from './load-sqlite';
export * from './pg-target';
export * from './results';
export * from './settings';
export * from './sqlite-source';
