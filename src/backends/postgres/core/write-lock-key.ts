/**
 * The advisory lock that stands for SQLite's write lock: BEGIN IMMEDIATE/EXCLUSIVE take it with
 * `pg_advisory_xact_lock(key)`. Every process (and the async facade) must derive the same key from
 * the same schema, so it is a hash of the schema name, not a number picked per process;
 * PostgreSQL's `hashtext()` is avoided because its values are not promised across versions.
 */
import crypto from 'node:crypto';

export function writeLockKey(schema: string): bigint {
  return crypto.createHash('sha256').update(`swarm-registry-adapter:write-lock:${schema}`).digest().readBigInt64BE(0);
}
