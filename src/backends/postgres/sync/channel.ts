/**
 * The caller's side of the bridge: one worker thread, one MessagePort and one SharedArrayBuffer,
 * made once and reused by every call. A request is posted on the port; the caller then spins on
 * the reply counter for a short while (SPIN_MS) and sleeps in `Atomics.wait` on it if the worker
 * has not bumped it by then, and takes the reply with `receiveMessageOnPort` — synchronously,
 * without deasync and without the event loop.
 *
 * Neither the thread nor the port keeps the process alive (both are unref'd), so a program that
 * never calls `close()` still exits when its own work is done.
 *
 * A client that closed cleanly parks its channel (`park`); the next client opened in this process
 * takes it (`reuse`) instead of starting a thread: starting one and loading `pg` in it costs about
 * 90 ms of CPU. At most MAX_PARKED wait, each for PARKED_MS at most.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { isMetricsBatch, replayMetrics } from '../../../metrics/forward';
import { SIGNAL_REPLIES, SIGNAL_SLOTS, SIGNAL_STATE, SPIN_MS, WORKER_EXITED, WORKER_STARTING, type Reply, type Request, type WorkerConfig } from '../core/protocol';

/** How long a new thread may take to start (load pg) on top of the caller's timeout. */
const STARTUP_ALLOWANCE_MS = 10_000;
const MAX_PARKED = 4;
const PARKED_MS = 10_000;
const DEFAULT_WORKER = path.join(__dirname, '..', 'worker', 'main.js');
const parked: SyncChannel[] = [];

export type Received = Reply | 'timeout' | 'exited';

export class SyncChannel {
  readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private readonly startedAt = performance.now();
  private lastId = 0;
  private exited = false;
  private parkedTimer: NodeJS.Timeout | undefined;

  /** A parked channel of the same worker, given `config`; undefined when none waits. */
  static reuse(config: WorkerConfig, workerPath: string | URL = DEFAULT_WORKER): SyncChannel | undefined {
    for (let i = parked.length - 1; i >= 0; i--) {
      const channel = parked[i]!;
      if (channel.workerPath !== String(workerPath)) continue;
      parked.splice(i, 1);
      clearTimeout(channel.parkedTimer);
      if (!channel.alive) continue;
      channel.send({ kind: 'configure', id: 0, config });
      return channel;
    }
    return undefined;
  }

  private readonly workerPath: string;

  constructor(config: WorkerConfig, workerPath: string | URL = DEFAULT_WORKER) {
    this.workerPath = String(workerPath);
    const shared = new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.signal = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(workerPath, { workerData: { config, port: port2, signal: shared }, transferList: [port2] });
    this.worker.unref();
    port1.unref();
    this.port = port1;
    // Seen only while the caller is not blocked; while it is, the thread's own flag tells.
    this.worker.on('exit', () => {
      this.exited = true;
    });
    this.worker.on('error', () => {});
  }

  get alive(): boolean {
    return !this.exited && Atomics.load(this.signal, SIGNAL_STATE) !== WORKER_EXITED;
  }

  /** Posts a request under a fresh id (written into `request`), and returns that id. */
  send(request: Request): number {
    request.id = ++this.lastId;
    this.port.postMessage(request);
    return request.id;
  }

  /** The next reply (of any id), or why none came before `deadline` (a performance.now() time). */
  next(deadline: number): Received {
    for (;;) {
      const seen = Atomics.load(this.signal, SIGNAL_REPLIES);
      const message = receiveMessageOnPort(this.port);
      if (message) {
        // The worker's pool waits, posted ahead of the reply they belong to.
        if (isMetricsBatch(message.message)) {
          replayMetrics(message.message);
          continue;
        }
        return message.message as Reply;
      }
      const state = Atomics.load(this.signal, SIGNAL_STATE);
      if (this.exited || state === WORKER_EXITED) return 'exited';
      const until = state === WORKER_STARTING ? Math.max(deadline, this.startedAt + STARTUP_ALLOWANCE_MS) : deadline;
      const left = until - performance.now();
      if (left <= 0) return 'timeout';
      if (state !== WORKER_STARTING && this.spin(seen, Math.min(until, performance.now() + SPIN_MS))) continue;
      Atomics.wait(this.signal, SIGNAL_REPLIES, seen, left);
    }
  }

  /** Spins until the reply counter moves from `seen` (true) or `until` passes (false). */
  private spin(seen: number, until: number): boolean {
    do {
      if (Atomics.load(this.signal, SIGNAL_REPLIES) !== seen) return true;
    } while (performance.now() < until);
    return false;
  }

  /** Keeps the thread (its client closed, its connections ended) for the next client, or stops it. */
  park(): void {
    if (!this.alive || parked.length >= MAX_PARKED) return this.dispose();
    this.parkedTimer = setTimeout(() => {
      const at = parked.indexOf(this);
      if (at >= 0) parked.splice(at, 1);
      this.dispose();
    }, PARKED_MS);
    this.parkedTimer.unref();
    parked.push(this);
  }

  /** Stops the thread without waiting for it (its connections close with it). */
  dispose(): void {
    this.exited = true;
    this.port.close();
    void this.worker.terminate();
  }
}
