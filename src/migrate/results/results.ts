/**
 * What the migration commands return (and print with --json): plain data, in a module that imports
 * no database driver, so the package's published types need neither pg's nor better-sqlite3's.
 */
import type { TimestampFormat } from '../../schema';

/** A value in the canonical form `verify` compares (migrate/canonical): its text, or null. */
export type CanonicalValue = string | null;

export type DifferenceKind = 'missing' | 'extra' | 'different';

export interface DifferenceSample {
  kind: DifferenceKind;
  key: string;
  /** For `different`: each differing column with both canonical values. */
  columns?: Array<{ column: string; sqlite: CanonicalValue; postgres: CanonicalValue }>;
}

export interface LooseFinding {
  table: string;
  column: string;
  kind: LooseKind;
  count: number;
  /** Keys of the rows holding the values (none for rows without a key). */
  keys: string[];
}

export interface OrphanFinding {
  table: string;
  column: string;
  /** `table.column` the reference should point at. */
  references: string;
  count: number;
  rows: Array<{ key: string; value: string }>;
}

export interface TimestampColumnProfile {
  table: string;
  column: string;
  iso: number;
  sqlite: number;
  /** The format PostgreSQL will show this column's values in (the majority's). */
  format: TimestampFormat;
}

export interface RegistryProfile {
  rowsByTable: Record<string, number>;
  totalRows: number;
  orphans: OrphanFinding[];
  loose: LooseFinding[];
  timestamps: TimestampColumnProfile[];
  /** Things worth knowing that do not stop a copy (mixed timestamp formats, numbers in TEXT columns). */
  notes: string[];
}

export interface RowException {
  table: string;
  key: string;
  /** The column nulled, or null when the whole row is skipped. */
  column: string | null;
  reason: string;
}

export interface TableBackfill {
  table: string;
  /** Rows inserted by this run. */
  copied: number;
  /** Rows of this run's chunks that PostgreSQL already had (kept as they were). */
  alreadyPresent: number;
  skipped: number;
  /** Rows earlier runs had copied (this run resumed after them). */
  copiedEarlier: number;
}

export interface BackfillResult {
  profile: RegistryProfile;
  journalMode: string;
  /** The change log's position of the snapshot copied (0 when shadow mode never ran on the file): shadow mode applies what follows. */
  logPosition: number;
  /**
   * What the run did with earlier runs' progress when it was not a plain resume: copied every table
   * again (rows of another snapshot), handed over an earlier complete copy, or copied nothing (the
   * change log already applies); null otherwise.
   */
  start: string | null;
  timestampFormats: Record<string, TimestampFormat>;
  exceptions: RowException[];
  tables: TableBackfill[];
  copied: number;
  /** Whether PostgreSQL checked foreign keys row by row (false: checked in bulk afterwards). */
  rowTriggers: boolean;
  danglingReferences: string[];
  seconds: number;
  rowsPerSecond: number;
}

export interface DifferenceCounts {
  missing: number;
  extra: number;
  different: number;
  samples: DifferenceSample[];
}

export interface TableVerify extends DifferenceCounts {
  table: string;
  sqliteRows: number;
  postgresRows: number;
  /** Rows the backfill left out or nulled by the operator's choice (not counted as differences). */
  exceptions: number;
}

export interface VerifyResult {
  clean: boolean;
  tables: TableVerify[];
  missing: number;
  extra: number;
  different: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Differing rows with a value the other side cannot hold, each named with the reason (every one, not a sample). */
  problems: RowProblem[];
  repair?: RepairResult;
}

/** The side being made to match: `postgres` (from SQLite, the default) or `sqlite` (the rollback). */
export type RepairDirection = 'postgres' | 'sqlite';

export interface RepairCounts {
  written: number;
  deleted: number;
}

export interface RepairResult extends RepairCounts {
  direction: RepairDirection;
  tables: Record<string, RepairCounts>;
  /** Rows not repaired, each with the reason: the operator's to fix by hand. */
  left: RowProblem[];
}

/** A row verify names and repair leaves alone: a value one side holds that the other cannot hold as the same value. */
export interface RowProblem {
  table: string;
  key: string;
  /** The column at fault, when known. */
  column?: string;
  /** Which side holds the value. */
  side: 'sqlite' | 'postgres';
  reason: string;
}

/** Problems a value can have (loose values SQLite's typing let in), by column kind. */
export type LooseKind = 'null-key' | 'not-an-integer' | 'invalid-json' | 'unparseable-timestamp' | 'not-a-boolean';

/** `backfill --dry-run`: what each choice for orphans and loose values would leave out. */
export interface TableOutcome {
  table: string;
  rows: number;
  /** Rows left out for a finding of their own. */
  skipped: number;
  /** Rows left out because a row they point at is left out. */
  dependents: number;
  /** Values nulled (a dangling reference, a loose value). */
  nulled: number;
}

export interface ChoiceOutcome {
  choices: { orphans?: 'skip' | 'null'; loose?: 'skip' | 'null' };
  /** The flags to pass for this outcome, e.g. `--orphans=skip --loose=null`. */
  flags: string;
  /** Why the copy would be refused with these choices, or null when it would go ahead. */
  refusal: string | null;
  tables: TableOutcome[];
  skippedRows: number;
  nulledValues: number;
}

export interface DryRunResult {
  profile: RegistryProfile;
  outcomes: ChoiceOutcome[];
}
