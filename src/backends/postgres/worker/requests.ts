/**
 * The worker's dispatcher: one request in, one reply out. Requests normally arrive one at a time
 * (the caller waits for each); the exceptions are a timed-out request still running when the next
 * arrives, and the `cancel`/`abandon` that follow a timeout, which is why requests in flight are
 * tracked by id.
 */
import { ConnectionPool, dropConnection } from '../core/connections';
import { sendCancel } from '../core/cancel';
import { Cursors } from '../core/cursors';
import { toFailure } from '../core/failures';
import { RequestContext } from '../core/request-context';
import { Session } from '../core/session';
import type { Reply, ReplyValue, Request, WorkerConfig } from '../core/protocol';

export class RequestHandler {
  private readonly pool: ConnectionPool;
  private readonly session: Session;
  private readonly cursors: Cursors;
  private readonly inFlight = new Map<number, RequestContext>();

  constructor(private readonly config: WorkerConfig) {
    this.pool = new ConnectionPool(config);
    this.session = new Session(this.pool, config);
    this.cursors = new Cursors(this.session);
  }

  async handle(request: Request): Promise<Reply> {
    const ctx = new RequestContext(request.id);
    this.inFlight.set(request.id, ctx);
    try {
      const value = await this.dispatch(ctx, request);
      return { id: request.id, ok: true, value, inTransaction: this.afterRequest() };
    } catch (err) {
      // Failing before any batch of the request ran means the pool could not open (or set up) a connection.
      const phase = ctx.ran ? 'run' : 'connect';
      return { id: request.id, ok: false, failure: toFailure(err, phase, this.config.connectionString), inTransaction: this.afterRequest() };
    } finally {
      this.inFlight.delete(request.id);
    }
  }

  private async dispatch(ctx: RequestContext, request: Request): Promise<ReplyValue> {
    switch (request.kind) {
      case 'query':
        return this.session.query(ctx, request.text, request.values, request.name, request.write === true);
      case 'queryEach':
        return this.session.queryEach(ctx, request.steps, request.write === true);
      case 'describe':
        return this.session.describe(ctx, request.text);
      case 'begin':
        await this.session.begin(ctx, request.mode);
        return null;
      case 'commit':
        return this.session.commit(ctx, request.last);
      case 'rollback':
        await this.session.rollback(ctx);
        return null;
      case 'savepoint':
        return this.session.savepoint(ctx, request.action, request.name, request.last);
      case 'openCursor':
        return this.cursors.open(ctx, request.text, request.values, request.batchSize);
      case 'fetch':
        return this.cursors.fetch(ctx, request.cursor);
      case 'closeCursor':
        void this.cursors.close(request.cursor);
        return null;
      case 'cancel':
        this.cancel(request.target);
        return 'cancelAck';
      case 'abandon':
        this.abandon(request.target);
        return null;
      case 'close':
        await this.close();
        return null;
      case 'configure':
        return null; // handled by the thread (worker.ts)
    }
  }

  private cancel(target: number): void {
    const ctx = this.inFlight.get(target);
    if (!ctx) return;
    ctx.cancelled = true;
    if (ctx.conn) sendCancel(ctx.conn);
  }

  /** The server did not answer even the cancellation: drop the socket so the request fails now. */
  private abandon(target: number): void {
    const ctx = this.inFlight.get(target);
    if (!ctx) return;
    ctx.cancelled = true;
    if (ctx.conn) dropConnection(ctx.conn);
  }

  private async close(): Promise<void> {
    // Everything settles before the reply: nothing of this client may run on once the thread is
    // handed to the next one (sync-channel.ts, park).
    this.session.abort();
    await this.cursors.closeAll();
    await this.pool.end();
  }

  /** A transaction whose connection broke is over (the server rolled it back). */
  private afterRequest(): boolean {
    if (this.session.tx?.conn.broken) this.session.abort();
    return this.session.tx !== null;
  }
}
