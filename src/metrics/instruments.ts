/**
 * The adapter's OpenTelemetry instruments, on the meter named after the package. Through
 * `@opentelemetry/api` only: until the application installs an SDK (a global MeterProvider),
 * every instrument is a no-op and nothing is timed, as with the instrumentations of `pg` and
 * `better-sqlite3`. The meter is taken again whenever the global provider changes, so an SDK
 * installed after this module loaded is still used (shadow-mode databases opened before it report
 * no mirror figures: install the SDK before opening the registry).
 */
import type { Counter, Histogram, Meter, MeterProvider } from '@opentelemetry/api';

export const METER_NAME = 'swarm-registry-adapter';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const METER_VERSION = (require('../../package.json') as { version: string }).version;

/** Every instrument's name, as a monitoring system sees it. */
export const METRIC = {
  compared: 'registry.shadow.compared',
  divergences: 'registry.shadow.divergences',
  lagOps: 'registry.shadow.mirror.lag.ops',
  lagSeconds: 'registry.shadow.mirror.lag',
  queueDepth: 'registry.shadow.queue.depth',
  gaps: 'registry.shadow.gaps',
  statementDuration: 'registry.statement.duration',
  poolWaits: 'registry.pool.waits',
  poolWaitDuration: 'registry.pool.wait.duration',
  translationCache: 'registry.translation.cache',
} as const;

export interface Instruments {
  meter: Meter;
  statementDuration: Histogram;
  poolWaits: Counter;
  poolWaitDuration: Histogram;
  translationCache: Counter;
}

let provider: MeterProvider | undefined;
/**
 * The API, loaded on the first call: a worker thread that forwards its figures to the caller's
 * thread (and the PostgreSQL worker, whose isolate has no SDK) never loads its ~45 modules.
 */
let api: typeof import('@opentelemetry/api') | undefined;
let calls = 0;
let current: Instruments | undefined;

/** Whether an SDK is installed: otherwise the global provider is the API's no-op one. */
function installed(p: MeterProvider): boolean {
  return p.constructor.name !== 'NoopMeterProvider';
}

/** The instruments of the installed SDK, or undefined (nothing to record, nothing to time). */
export function instruments(): Instruments | undefined {
  // Asking the API for the global provider costs about 0.1 µs: on the statement path it is asked
  // again only every 1024th time (an SDK installed later is picked up within 1024 statements).
  if (provider !== undefined && (++calls & 1023) !== 0) return current;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  api ??= require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const p = api.metrics.getMeterProvider();
  if (p !== provider) {
    provider = p;
    current = installed(p) ? create(p.getMeter(METER_NAME, METER_VERSION)) : undefined;
  }
  return current;
}

function create(meter: Meter): Instruments {
  return {
    meter,
    statementDuration: meter.createHistogram(METRIC.statementDuration, {
      description: 'Time of one statement (run, get, all, iterate) on one backend; in shadow mode the primary on the caller thread and the secondary in the mirror',
      unit: 's',
      advice: { explicitBucketBoundaries: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
    }),
    poolWaits: meter.createCounter(METRIC.poolWaits, { description: 'Connection checkouts that had to wait for a free PostgreSQL connection' }),
    poolWaitDuration: meter.createHistogram(METRIC.poolWaitDuration, { description: 'Time a checkout waited for a free PostgreSQL connection', unit: 's' }),
    translationCache: meter.createCounter(METRIC.translationCache, { description: 'Translator cache lookups, by result (hit or miss)' }),
  };
}
