/**
 * How long a writer waits for the write lock (SQLite's busy timeout, better-sqlite3's `timeout`
 * option), kept within the caller's own timeout so the server's SQLITE_BUSY comes first.
 */
import type { WorkerConfig } from './protocol';

export function busyTimeout(config: WorkerConfig): number {
  const within = Math.floor(config.timeoutMs * 0.9);
  return Math.max(1, Math.min(config.busyTimeoutMs ?? within, within));
}
