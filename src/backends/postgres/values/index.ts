// SQLite's values on PostgreSQL, on any thread: better-sqlite3's binding rules, parameters as SQLite
// would store them, and result rows shaped as SQLite returns them.
export * from './binding';
export * from './params';
export * from './real-text';
export * from './rows';
export * from './timestamps';
export * from './unholdable';
export * from './store';
