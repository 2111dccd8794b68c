/**
 * Metrics of a worker thread, recorded on the caller's thread: the worker gathers them (only while
 * the caller says an SDK is installed, a flag in shared memory) and posts one batch a second; the
 * caller's thread replays each batch into its own instruments.
 */
import type { MessagePort } from 'node:worker_threads';
import { otelRecorder, type MetricsRecorder } from './record';

export interface MetricsBatch {
  type: 'metrics';
  /** [backend, role, seconds, count] */
  statements: Array<[string, string, number, number]>;
  translations: [hits: number, misses: number];
  /** [pool, seconds] */
  poolWaits: Array<[string, number]>;
}

export class ForwardingRecorder implements MetricsRecorder {
  #batch: MetricsBatch = ForwardingRecorder.#empty();

  /** `on()`: whether the caller's thread records (read from shared memory). */
  constructor(private readonly on: () => boolean) {}

  get enabled(): boolean {
    return this.on();
  }
  statement(backend: string, role: string, seconds: number, count = 1): void {
    if (this.on()) this.#batch.statements.push([backend, role, seconds, count]);
  }
  translation(hit: boolean): void {
    if (this.on()) this.#batch.translations[hit ? 0 : 1]++;
  }
  poolWait(pool: string, seconds: number): void {
    if (this.on()) this.#batch.poolWaits.push([pool, seconds]);
  }

  /** Posts what was gathered, if anything. */
  flush(port: MessagePort | null): void {
    const b = this.#batch;
    if (b.statements.length + b.poolWaits.length + b.translations[0] + b.translations[1] === 0) return;
    this.#batch = ForwardingRecorder.#empty();
    port?.postMessage(b);
  }

  static #empty(): MetricsBatch {
    return { type: 'metrics', statements: [], translations: [0, 0], poolWaits: [] };
  }
}

/** The caller's side: records a worker's batch as if it had happened here. */
export function replayMetrics(batch: MetricsBatch, into: MetricsRecorder = otelRecorder): void {
  for (const [backend, role, seconds, count] of batch.statements) into.statement(backend, role, seconds, count);
  for (let i = 0; i < batch.translations[0]; i++) into.translation(true);
  for (let i = 0; i < batch.translations[1]; i++) into.translation(false);
  for (const [pool, seconds] of batch.poolWaits) into.poolWait(pool, seconds);
}

export function isMetricsBatch(message: unknown): message is MetricsBatch {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'metrics';
}
