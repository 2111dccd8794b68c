// AsyncDatabase on PostgreSQL, on the caller's event loop: the core's connections used straight
// from a pg pool, no worker thread.
export * from './engine';
