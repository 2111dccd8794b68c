// The synchronous front end, on the caller's thread: SyncPgClient posts each request to its worker
// thread (../worker) and sleeps in Atomics.wait until the reply.
export * from './client';
export * from './connection';
