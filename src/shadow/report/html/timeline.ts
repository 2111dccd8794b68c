/**
 * Divergences over time, for the charts of `report --html`: the window cut into equal buckets, each
 * with its count per kind (lines the rate limit left out included, as in the summary's totals).
 */
import type { LoggedRecord } from '../log';

export interface Timeline {
  /** Bucket starts, epoch ms, ascending; every bucket is `bucketMs` long. */
  starts: number[];
  bucketMs: number;
  /** Counts per kind, one per bucket. */
  byKind: Record<string, number[]>;
}

const NICE_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000];

/** Buckets of a whole nice length (1 min … 1 week) so that [from, until] holds at most `maxBuckets`. */
export function buildTimeline(records: readonly LoggedRecord[], from: number, until: number, maxBuckets = 60): Timeline {
  const span = Math.max(until - from, 60_000);
  const bucketMs = NICE_MS.find((ms) => span / ms <= maxBuckets) ?? Math.ceil(span / maxBuckets);
  const first = Math.floor(from / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((until - first + 1) / bucketMs));
  const starts = Array.from({ length: count }, (_, i) => first + i * bucketMs);
  const byKind: Record<string, number[]> = {};
  for (const record of records) {
    if (record.kind === 'log_summary' || record.kind === 'mirror_resumed') continue;
    const at = Date.parse(record.time);
    if (!(at >= first && at <= until)) continue;
    const bucket = Math.min(count - 1, Math.floor((at - first) / bucketMs));
    const n = 1 + (typeof record.suppressed === 'number' && record.suppressed > 0 ? record.suppressed : 0);
    (byKind[record.kind] ??= new Array<number>(count).fill(0))[bucket]! += n;
  }
  return { starts, bucketMs, byKind };
}
