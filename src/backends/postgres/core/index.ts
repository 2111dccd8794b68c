// The PostgreSQL core: connections, the wire query, sessions and transactions, cursors, the write
// lock, session settings and errors. It runs on whichever thread holds the connections: the
// synchronous front end's worker thread, the caller's event loop for AsyncDatabase, and the
// shadow mirror worker.
export * from './busy-timeout';
export * from './cancel';
export * from './connections';
export * from './cursors';
export * from './errors';
export * from './failure-errors';
export * from './failures';
export * from './next-rowid';
export * from './protocol';
export * from './request-context';
export * from './session';
export * from './session-settings';
export * from './setup';
export * from './transaction';
export * from './wire-query';
export * from './write-lock';
export * from './write-lock-key';
export * from './write-lock-schema';
export * from './open-schema';
