/**
 * One request in flight inside the worker: which connection it is using right now, so that a
 * `cancel` from the caller reaches the right backend and an `abandon` drops the right socket.
 */
import { run, type PgConnection } from './connections';
import { CancelledError } from './failures';
import type { WireBatch, WireQuery } from './wire-query';

export class RequestContext {
  /** The connection the request's current batch runs on, or null between batches. */
  conn: PgConnection | null = null;
  cancelled = false;
  /** A batch of this request reached a connection (so a failure is not a failure to connect). */
  ran = false;

  constructor(readonly id: number) {}

  /** Runs a batch of this request; refuses once the request was cancelled before reaching the server. */
  async run(conn: PgConnection, batch: WireBatch): Promise<WireQuery> {
    if (this.cancelled) throw new CancelledError('The statement was cancelled before it reached PostgreSQL (timeout).');
    this.conn = conn;
    this.ran = true;
    try {
      return await run(conn, batch);
    } finally {
      this.conn = null;
    }
  }
}
