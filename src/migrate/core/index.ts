export * from './columns';
export * from './key-order';
export * from './load-sqlite';
export * from './settings';
export * from './sqlite-source';
