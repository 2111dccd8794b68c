/**
 * What the runtime reports, wherever it runs. On the caller's thread it goes to the OpenTelemetry
 * instruments; a worker thread (the mirror) has no SDK of its own, so there it is gathered and
 * sent to the caller's thread (forward.ts), which records it as its own.
 */
import { instruments } from './instruments';

export interface MetricsRecorder {
  /** Whether anything is recorded (no SDK: skip the timing too). */
  readonly enabled: boolean;
  statement(backend: string, role: string, seconds: number, count?: number): void;
  translation(hit: boolean): void;
  poolWait(pool: string, seconds: number): void;
}

/** Records into the SDK the application installed, if any. */
export const otelRecorder: MetricsRecorder = {
  get enabled() {
    return instruments() !== undefined;
  },
  statement(backend, role, seconds, count = 1) {
    const i = instruments();
    if (!i) return;
    const attributes = { backend, role };
    for (let n = 0; n < count; n++) i.statementDuration.record(seconds, attributes);
  },
  translation(hit) {
    instruments()?.translationCache.add(1, { result: hit ? 'hit' : 'miss' });
  },
  poolWait(pool, seconds) {
    const i = instruments();
    if (!i) return;
    i.poolWaits.add(1, { pool });
    i.poolWaitDuration.record(seconds, { pool });
  },
};

let recorder: MetricsRecorder = otelRecorder;

/** The recorder of this thread. */
export function metricsRecorder(): MetricsRecorder {
  return recorder;
}

/** A worker thread's own recorder (forward.ts). */
export function setMetricsRecorder(r: MetricsRecorder): void {
  recorder = r;
}

/** Seconds since `start` (a performance.now() reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
