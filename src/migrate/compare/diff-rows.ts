/**
 * Row-by-row comparison of one chunk whose checksums differ: both sides' canonical rows, in key
 * order, merged. Counts missing (in SQLite, not in PostgreSQL), extra and different rows, and keeps
 * a few samples with the columns that differ (secret columns shown as a hash).
 */
import { secretHash } from '../canonical';
import { compareKeys, type MigrationTable } from '../core';
import { type CanonicalValue, type DifferenceCounts, type DifferenceKind, type DifferenceSample } from '../results';
import type { CanonicalRow } from '../snapshot';
export type { DifferenceCounts, DifferenceKind, DifferenceSample };

export interface RowDifferences {
  /** Keys to write on the target side (missing or different there). */
  toWrite: string[];
  /** Keys the target side has and the source does not. */
  toDelete: string[];
}

/** Merges the two sides; adds to `counts` (samples up to `sampleLimit`) and returns the keys involved. */
export function diffRows(table: MigrationTable, sqlite: readonly CanonicalRow[], postgres: readonly CanonicalRow[], counts: DifferenceCounts, sampleLimit: number): { missing: string[]; extra: string[]; different: string[] } {
  const missing: string[] = [];
  const extra: string[] = [];
  const different: string[] = [];
  let i = 0;
  let j = 0;
  const sample = (s: DifferenceSample): void => {
    if (counts.samples.filter((x) => x.kind === s.kind).length < sampleLimit) counts.samples.push(s);
  };
  while (i < sqlite.length || j < postgres.length) {
    const order = i >= sqlite.length ? 1 : j >= postgres.length ? -1 : compareKeys(sqlite[i]![0], postgres[j]![0]);
    if (order < 0) {
      missing.push(sqlite[i]![0]);
      sample({ kind: 'missing', key: sqlite[i++]![0] });
    } else if (order > 0) {
      extra.push(postgres[j]![0]);
      sample({ kind: 'extra', key: postgres[j++]![0] });
    } else {
      const [key, left] = sqlite[i++]!;
      const right = postgres[j++]![1];
      if (left === right) continue;
      different.push(key);
      sample({ kind: 'different', key, columns: differingColumns(table, left, right) });
    }
  }
  counts.missing += missing.length;
  counts.extra += extra.length;
  counts.different += different.length;
  return { missing, extra, different };
}

function differingColumns(table: MigrationTable, left: string, right: string): DifferenceSample['columns'] {
  const a = JSON.parse(left) as CanonicalValue[];
  const b = JSON.parse(right) as CanonicalValue[];
  // Secret values of the row are learnt first, so a copy of one in another column is hidden as well.
  table.columns.forEach((column, i) => {
    if (column.secret) [a[i], b[i]].forEach((v) => v != null && secretHash(v, column.kind));
  });
  return table.columns.flatMap((column, i) => {
    if (a[i] === b[i]) return [];
    const show = (v: CanonicalValue): CanonicalValue => (column.secret ? secretHash(v, column.kind) : column.kind === 'timestamp' ? instantText(v) : v);
    return [{ column: column.name, sqlite: show(a[i] ?? null), postgres: show(b[i] ?? null) }];
  });
}

/** A canonical timestamp (the instant in epoch milliseconds) as people read it: ISO-8601 in UTC. */
function instantText(value: CanonicalValue): CanonicalValue {
  if (value === null || !/^-?\d+$/.test(value)) return value;
  const date = new Date(Number(value));
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
