/**
 * Never a hang on the async engine either. The server's own `statement_timeout` (the same
 * REGISTRY_PG_TIMEOUT_MS) stops a slow statement; this watchdog handles the server that answers
 * nothing at all (gone, or its network): a request still running `grace` ms after the timeout has
 * its connection dropped, so its promise rejects and the pool opens a new connection next time.
 *
 * One unref'd interval checks every request in flight, rather than a timer per request: arming and
 * clearing a timer on every call would cost more than the rest of a cached statement's client work.
 */
import { dropConnection } from '../core/connections';
import type { RequestContext } from '../core/request-context';

export class Watchdog {
  readonly #deadlines = new Map<RequestContext, number>();
  readonly #silent = new WeakSet<RequestContext>();
  readonly #limitMs: number;
  readonly #timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    // Generous: no thread waits meanwhile, and a live but busy server answers by statement_timeout.
    const grace = Math.min(Math.max(timeoutMs / 2, 1000), 5000);
    this.#limitMs = timeoutMs + grace;
    this.#timer = setInterval(() => this.#sweep(), Math.max(100, Math.min(grace / 2, 1000)));
    this.#timer.unref();
  }

  watch(ctx: RequestContext): void {
    this.#deadlines.set(ctx, Date.now() + this.#limitMs);
  }

  /** Stops watching `ctx`; true when the watchdog dropped its connection (the server was silent). */
  unwatch(ctx: RequestContext): boolean {
    this.#deadlines.delete(ctx);
    return this.#silent.has(ctx);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#deadlines.clear();
  }

  #sweep(): void {
    const now = Date.now();
    for (const [ctx, deadline] of this.#deadlines) {
      if (deadline > now || !ctx.conn) continue;
      this.#silent.add(ctx);
      ctx.cancelled = true;
      this.#deadlines.delete(ctx);
      dropConnection(ctx.conn);
    }
  }
}
