/**
 * The caller's end of the mirror: it only enqueues. Ops gather in an array and leave for the
 * worker in groups (every GROUP ops, at COMMIT, and on setImmediate for what is left), so a
 * statement costs the caller a push. The queue is bounded: when the worker is `maxQueue` ops
 * behind, new ops are dropped and counted (the worker reports the gap). Nothing here throws into
 * the caller: a worker that cannot be reached only stops the mirroring.
 *
 * A worker that closed cleanly is parked and started again for the next shadow-mode database of
 * the process (`start`): a new thread, loading the translator and pg or better-sqlite3, costs
 * about 150 ms of CPU. At most MAX_PARKED wait, each for PARKED_MS at most.
 */
import { knownSecrets } from '../../policy';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { isMetricsBatch, metricsRecorder, replayMetrics } from '../../metrics';
import {
  C_CLOSED, C_EXITED, C_METRICS, C_NATIVE, C_READS_RECEIVED, C_READS_SENT, C_STOP, CONTROL_SLOTS, type MirrorConfig, type MirrorOp, S,
  STATS_SLOTS, WireEncoder,
} from '../shared';

const GROUP = 64;
const MAX_PARKED = 2;
const PARKED_MS = 10_000;

interface Parked {
  worker: Worker;
  timer: NodeJS.Timeout;
  /** Its listeners while parked (only these are removed: the Worker has listeners of its own). */
  onError: () => void;
  onExit: () => void;
}
const parked: Parked[] = [];

/** A parked worker, or undefined. */
function unpark(): Worker | undefined {
  const entry = parked.pop();
  if (!entry) return undefined;
  clearTimeout(entry.timer);
  entry.worker.off('error', entry.onError).off('exit', entry.onExit);
  return entry.worker;
}

function park(worker: Worker): void {
  if (parked.length >= MAX_PARKED) {
    void worker.terminate().catch(() => undefined);
    return;
  }
  const drop = () => {
    const at = parked.indexOf(entry);
    if (at >= 0) parked.splice(at, 1);
  };
  const entry: Parked = {
    worker,
    timer: setTimeout(() => {
      drop();
      void worker.terminate().catch(() => undefined);
    }, PARKED_MS),
    onError: () => {},
    onExit: drop,
  };
  entry.timer.unref();
  worker.on('error', entry.onError).on('exit', entry.onExit);
  worker.unref();
  parked.push(entry);
}

export class MirrorChannel {
  readonly stats: Float64Array;
  readonly #control: Int32Array;
  readonly #worker: Worker | null;
  #pending: MirrorOp[] = [];
  /** Change log rows this process committed, not yet told to the worker: [seq, ops, writes, ...]. */
  #logged: number[] = [];
  readonly #encoder = new WireEncoder();
  #scheduled = false;
  /** stats[S.processed] as last read (see #full). */
  #processed = 0;
  #closed = false;
  #dead = false;

  constructor(config: Omit<MirrorConfig, 'stats' | 'control'>, readonly maxQueue: number) {
    const stats = new SharedArrayBuffer(STATS_SLOTS * 8);
    const control = new SharedArrayBuffer(CONTROL_SLOTS * 4);
    this.stats = new Float64Array(stats);
    this.#control = new Int32Array(control);
    let worker: Worker | null = null;
    try {
      const workerConfig: MirrorConfig = { ...config, stats, control };
      worker = unpark() ?? null;
      if (worker) worker.postMessage({ type: 'start', config: workerConfig });
      else worker = new Worker(path.join(__dirname, '..', 'mirror', 'worker.js'), { workerData: workerConfig });
      // The worker's statement times, pool waits and translations, recorded here (metrics/forward.ts).
      worker.on('message', this.#onMessage).on('error', this.#onGone).on('exit', this.#onGone);
      // After the 'message' listener, which refs the worker again: a database never closed must
      // not keep the process alive.
      worker.unref();
      // The process ends (process.exit(), or nothing left to do) while the worker may be inside
      // better-sqlite3: let it leave SQLite first (C_NATIVE), or the process could abort.
      live.add(this);
      if (live.size === 1) process.on('exit', stopAll);
    } catch {
      this.#dead = true;
    }
    this.#worker = worker;
    this.refreshMetrics();
  }

  /** Tells the worker whether to send its metrics (an SDK is installed on this thread). */
  refreshMetrics(): void {
    Atomics.store(this.#control, C_METRICS, metricsRecorder().enabled ? 1 : 0);
  }

  /** Ops the worker has not finished yet (lag in ops). */
  get depth(): number {
    return this.stats[S.enqueued]! - this.stats[S.processed]!;
  }

  /** Enqueues one op (an autocommit statement). */
  push(op: MirrorOp): void {
    if (!this.#admit(1, op.write ? 1 : 0)) return;
    if (op.pos) Atomics.add(this.#control, C_READS_SENT, 1);
    this.#pending.push(op);
    if (this.#pending.length >= GROUP) this.flush();
    else this.#schedule();
  }

  /** Enqueues a committed transaction as one unit, and sends it at once. */
  pushUnit(ops: MirrorOp[]): void {
    if (ops.length === 0) return;
    let writes = 0;
    for (const op of ops) if (op.write) writes++;
    if (!this.#admit(ops.length, writes)) return;
    let reads = 0;
    for (const op of ops) if (op.pos) reads++;
    if (reads > 0) Atomics.add(this.#control, C_READS_SENT, reads);
    for (let i = 0; i < ops.length - 1; i++) ops[i]!.more = true;
    for (const op of ops) this.#pending.push(op);
    this.flush();
  }

  /**
   * A transaction this process committed to the change log (row `seq`, `ops` ops, `writes` of them
   * writes): never dropped (it is in the log); the worker counts it done once it is applied.
   */
  logged(seq: number, ops: number, writes: number): void {
    const stats = this.stats;
    stats[S.enqueued] = stats[S.enqueued]! + ops;
    stats[S.enqueuedWrites] = stats[S.enqueuedWrites]! + writes;
    if (this.#dead || this.#closed) {
      stats[S.processed] = stats[S.processed]! + ops; // no worker left to wait for it: another process applies it
      return;
    }
    this.#logged.push(seq, ops, writes);
    this.#schedule();
  }

  /** A write that could not be logged: a gap, reported like an overflow. */
  lost(op: MirrorOp): void {
    this.stats[S.overflowOps] = this.stats[S.overflowOps]! + 1;
    if (op.write) this.stats[S.overflowWrites] = this.stats[S.overflowWrites]! + 1;
  }

  /** Called just before queued ops are posted (the change log settles its reads' positions). */
  beforePost: (() => void) | undefined;

  flush(): void {
    if (this.#pending.length === 0 && this.#logged.length === 0) return;
    this.beforePost?.();
    const ops = this.#pending;
    this.#pending = [];
    this.#postOps(ops);
  }

  /** Drains the queue within `timeoutMs` (the worker reports what is left as a gap), then parks or stops the worker. */
  close(timeoutMs: number): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    if (this.#dead || !this.#worker) return;
    try {
      this.#worker.postMessage({ type: 'close', deadline: Date.now() + timeoutMs });
    } catch {
      // The worker is gone: nothing to wait for.
    }
    // The worker sets C_CLOSED when it is done (or C_EXITED when it ends for any reason).
    const until = Date.now() + timeoutMs + 2000;
    while (Atomics.load(this.#control, C_CLOSED) === 0 && Atomics.load(this.#control, C_EXITED) === 0) {
      const left = until - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.#control, C_CLOSED, 0, Math.min(left, 100));
    }
    this.#forget();
    if (Atomics.load(this.#control, C_CLOSED) === 1 && Atomics.load(this.#control, C_EXITED) === 0) {
      this.#worker.off('message', this.#onMessage).off('error', this.#onGone).off('exit', this.#onGone);
      park(this.#worker);
      return;
    }
    this.stopNative();
    void this.#worker.terminate().catch(() => undefined);
  }

  /** Asks the worker to start no further SQLite call and waits (at most 2 s) until it is out of one. */
  readonly stopNative = (): void => {
    this.#forget();
    Atomics.store(this.#control, C_STOP, 1);
    const until = Date.now() + 2000;
    while (Atomics.load(this.#control, C_NATIVE) === 1 && Atomics.load(this.#control, C_EXITED) === 0) {
      const left = until - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.#control, C_NATIVE, 1, Math.min(left, 50));
    }
  };

  #admit(ops: number, writes: number): boolean {
    const stats = this.stats;
    if (this.#dead || this.#closed || this.#full(ops)) {
      stats[S.overflowOps] = stats[S.overflowOps]! + ops;
      stats[S.overflowWrites] = stats[S.overflowWrites]! + writes;
      return false;
    }
    stats[S.enqueued] = stats[S.enqueued]! + ops;
    stats[S.enqueuedWrites] = stats[S.enqueuedWrites]! + writes;
    return true;
  }

  /**
   * Whether `ops` more would pass the bound. The worker's count is read again only when the last
   * value read says so: it only grows, so an old value overestimates the depth, never less; and
   * the worker writes it all the time, so reading it for every op would cost a cache miss.
   */
  #full(ops: number): boolean {
    const enqueued = this.stats[S.enqueued]!;
    if (enqueued - this.#processed + ops <= this.maxQueue) return false;
    this.#processed = this.stats[S.processed]!;
    return enqueued - this.#processed + ops > this.maxQueue;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.flush();
    }).unref();
  }

  #postOps(ops: MirrorOp[]): void {
    if (this.#dead || !this.#worker) return;
    const encoder = this.#encoder;
    // Secrets this thread has seen (fingerprints only), so the worker hides them too.
    const secrets = knownSecrets.drainFresh();
    if (secrets.length > 0) {
      try {
        this.#worker.postMessage({ type: 'secrets', entries: secrets });
      } catch {
        // The worker is gone.
      }
    }
    let logged: number[] | undefined;
    if (this.#logged.length > 0) {
      logged = this.#logged;
      this.#logged = [];
    }
    try {
      this.#worker.postMessage(logged ? { type: 'ops', ops: encoder.encode(ops), logged } : { type: 'ops', ops: encoder.encode(ops) });
      encoder.commit();
      return;
    } catch {
      encoder.rollback();
      if (logged) this.#worker.postMessage({ type: 'ops', ops: [], logged });
    }
    // A value that cannot cross threads (an exotic object among the parameters): send what can.
    for (let i = 0; i < ops.length; i++) {
      try {
        this.#worker.postMessage({ type: 'ops', ops: encoder.encode(ops, i, i + 1) });
        encoder.commit();
      } catch {
        encoder.rollback();
        if (ops[i]!.pos) Atomics.add(this.#control, C_READS_RECEIVED, 1); // never on its way
        this.stats[S.overflowOps] = this.stats[S.overflowOps]! + 1;
        if (ops[i]!.write) this.stats[S.overflowWrites] = this.stats[S.overflowWrites]! + 1;
        this.stats[S.enqueued] = this.stats[S.enqueued]! - 1;
      }
    }
  }

  readonly #onMessage = (message: unknown): void => {
    if (isMetricsBatch(message)) replayMetrics(message);
  };
  readonly #onGone = (): void => this.#died();

  #died(): void {
    this.#dead = true;
    this.#forget();
  }

  #forget(): void {
    if (live.delete(this) && live.size === 0) process.removeListener('exit', stopAll);
  }
}

/** The channels whose worker runs: one 'exit' listener for them all. */
const live = new Set<MirrorChannel>();
function stopAll(): void {
  for (const channel of [...live]) channel.stopNative();
}
