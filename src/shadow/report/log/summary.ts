/**
 * Summarises the divergence log (docs/cli.md, report; and `status`'s "no divergence in the window"):
 * totals by kind and by statement fingerprint, first and last seen, a few redacted samples, and
 * what the rate limit left out. A missing log means shadow mode has not recorded anything yet:
 * that is a summary with `exists: false`, not an error.
 */
import { DIFFERENCE_KINDS } from '../../shared';
import { readDivergenceLog, type LoggedRecord } from './read';
import { redactLoggedRecord } from './redact';

export { LogReadError } from './read';
export { parseWindow, DEFAULT_WINDOW, type ReportWindow } from './window';

export interface StatementSummary {
  fingerprint: string;
  /** The SQLite statement (absent for mirror events). */
  statement: string | null;
  /** Lines written plus lines the rate limit left out. */
  count: number;
  suppressed: number;
  kinds: Record<string, number>;
  firstSeen: string;
  lastSeen: string;
  /** Distinct caller frames seen (at most 3). */
  frames: string[];
  /** The first few records, redacted. */
  samples: LoggedRecord[];
}

export interface DivergenceSummary {
  log: string;
  exists: boolean;
  files: string[];
  /** Start of the window (ISO), null for the whole log. */
  since: string | null;
  until: string;
  /** No divergence, no unmirrorable statement and no mirror gap in the window. */
  clean: boolean;
  totals: {
    /** Statement comparisons that differed (suppressed ones included). */
    divergences: number;
    notMirrorable: number;
    mirrorGaps: number;
    droppedWrites: number;
    mirrorOutages: number;
    mirrorResumed: number;
    suppressed: number;
    /** Lines a writer could not write (from its summary at close). */
    ioFailures: number;
    /** Differences explained by rows the operator skipped in the backfill (not divergences). */
    acknowledged: number;
  };
  byKind: Record<string, number>;
  /** Most frequent first. */
  byStatement: StatementSummary[];
  firstSeen: string | null;
  lastSeen: string | null;
  malformedLines: number;
}

export interface SummarizeOptions {
  /** Only records at or after this instant; null or absent for the whole log. */
  since?: Date | null;
  /** Samples kept per statement (default 3). */
  samples?: number;
  now?: Date;
  databaseUrl?: string | null;
}

const COMPARISON_KINDS = new Set<string>(DIFFERENCE_KINDS);
const EVENT_KINDS = new Set(['not_mirrorable', 'mirror_gap', 'mirror_outage', 'mirror_resumed']);

/** Reads `path` (and its rotated files) and summarises it. Throws LogReadError when a file cannot be read. */
export function summarizeDivergences(path: string, options: SummarizeOptions = {}): DivergenceSummary {
  const summary = emptySummary(path, options);
  const contents = readDivergenceLog(path);
  if (!contents) return summary;
  summary.exists = true;
  summary.files = contents.files;
  summary.malformedLines = contents.malformedLines;
  const since = options.since?.getTime() ?? -Infinity;
  const statements = new Map<string, StatementSummary>();
  for (const record of contents.records) {
    if (Date.parse(record.time) < since) continue;
    if (record.kind === 'log_summary') addLogSummary(summary, statements, record);
    else addRecord(summary, statements, record, options);
  }
  summary.byStatement = [...statements.values()].sort((a, b) => b.count - a.count || a.firstSeen.localeCompare(b.firstSeen));
  summary.clean = summary.totals.divergences === 0 && summary.totals.notMirrorable === 0 && summary.totals.mirrorGaps === 0;
  return summary;
}

function emptySummary(path: string, options: SummarizeOptions): DivergenceSummary {
  return {
    log: path,
    exists: false,
    files: [],
    since: options.since ? options.since.toISOString() : null,
    until: (options.now ?? new Date()).toISOString(),
    clean: true,
    totals: { divergences: 0, notMirrorable: 0, mirrorGaps: 0, droppedWrites: 0, mirrorOutages: 0, mirrorResumed: 0, suppressed: 0, ioFailures: 0, acknowledged: 0 },
    byKind: {},
    byStatement: [],
    firstSeen: null,
    lastSeen: null,
    malformedLines: 0,
  };
}

function addRecord(summary: DivergenceSummary, statements: Map<string, StatementSummary>, record: LoggedRecord, options: SummarizeOptions): void {
  const suppressed = typeof record.suppressed === 'number' && record.suppressed > 0 ? record.suppressed : 0;
  const count = 1 + suppressed;
  summary.byKind[record.kind] = (summary.byKind[record.kind] ?? 0) + count;
  summary.totals.suppressed += suppressed;
  countTotals(summary, record.kind, count);
  if (record.kind === 'mirror_gap' && typeof record.droppedWrites === 'number') summary.totals.droppedWrites += record.droppedWrites;
  if (summary.firstSeen === null || record.time < summary.firstSeen) summary.firstSeen = record.time;
  if (summary.lastSeen === null || record.time > summary.lastSeen) summary.lastSeen = record.time;

  const fingerprint = typeof record.fingerprint === 'string' ? record.fingerprint : record.kind;
  const entry = statementEntry(statements, fingerprint, record);
  entry.count += count;
  entry.suppressed += suppressed;
  entry.kinds[record.kind] = (entry.kinds[record.kind] ?? 0) + count;
  if (record.time < entry.firstSeen) entry.firstSeen = record.time;
  if (record.time > entry.lastSeen) entry.lastSeen = record.time;
  if (typeof record.frame === 'string' && entry.frames.length < 3 && !entry.frames.includes(record.frame)) entry.frames.push(record.frame);
  if (entry.samples.length < (options.samples ?? 3)) entry.samples.push(redactLoggedRecord(record, undefined, options.databaseUrl));
}

function countTotals(summary: DivergenceSummary, kind: string, count: number): void {
  const totals = summary.totals;
  if (COMPARISON_KINDS.has(kind)) totals.divergences += count;
  else if (kind === 'not_mirrorable') totals.notMirrorable += count;
  else if (kind === 'mirror_gap') totals.mirrorGaps += count;
  else if (kind === 'mirror_outage') totals.mirrorOutages += count;
  else if (kind === 'mirror_resumed') totals.mirrorResumed += count;
  else if (kind === 'acknowledged_exception') totals.acknowledged += count;
  else totals.divergences += count; // a kind this version does not know: count it rather than hide it
}

/** What a writer's rate limit left out and never carried on a later line, attributed to each fingerprint's last kind. */
function addLogSummary(summary: DivergenceSummary, statements: Map<string, StatementSummary>, record: LoggedRecord): void {
  if (typeof record.ioFailures === 'number') summary.totals.ioFailures += record.ioFailures;
  const byFingerprint = record.suppressedByFingerprint;
  if (byFingerprint === null || typeof byFingerprint !== 'object') return;
  for (const [fingerprint, value] of Object.entries(byFingerprint as Record<string, unknown>)) {
    if (typeof value !== 'number' || value <= 0) continue;
    const entry = statements.get(fingerprint);
    const kind = entry ? lastKind(entry) : EVENT_KINDS.has(fingerprint) ? fingerprint : 'unattributed';
    summary.totals.suppressed += value;
    summary.byKind[kind] = (summary.byKind[kind] ?? 0) + value;
    countTotals(summary, kind, value);
    if (entry) {
      entry.count += value;
      entry.suppressed += value;
      entry.kinds[kind] = (entry.kinds[kind] ?? 0) + value;
    }
  }
}

function lastKind(entry: StatementSummary): string {
  return Object.keys(entry.kinds).at(-1) ?? 'rows';
}

function statementEntry(statements: Map<string, StatementSummary>, fingerprint: string, record: LoggedRecord): StatementSummary {
  let entry = statements.get(fingerprint);
  if (!entry) {
    entry = {
      fingerprint,
      statement: typeof record.statement === 'string' ? record.statement : null,
      count: 0,
      suppressed: 0,
      kinds: {},
      firstSeen: record.time,
      lastSeen: record.time,
      frames: [],
      samples: [],
    };
    statements.set(fingerprint, entry);
  }
  return entry;
}
