/**
 * What crosses from the caller's thread to the mirror worker (structured-clone data only), and the
 * layout of the shared counters both threads read (shadowStats() reads them synchronously).
 */
import type { RowShape } from '../../contracts';
import type { ParamSlot } from '../../translator';
import type { Answer, SideName } from './answer';

export type MirrorMethod = 'run' | 'get' | 'all' | 'iterate' | 'exec' | 'pragma';

/** Facts about a statement the worker cannot learn by itself, sent with its first op. */
export interface StatementMeta {
  /** `new Error().stack` of the statement's first mirrored run, on the caller's thread. */
  stack?: string;
  /** From the primary's translation (PostgreSQL primary): the SQLite side has none. */
  ordered?: boolean;
  slots?: ParamSlot[];
  tables?: string[];
  columnNames?: string[];
  /** Translation.notMirrorable of the primary's translation (`random()`). */
  notMirrorable?: string[];
}

/** One statement for the secondary: apply it, and compare when `answer` is given. */
export interface MirrorOp {
  /** The caller's SQLite SQL, as prepared. */
  sql: string;
  method: MirrorMethod;
  /** The caller's arguments as passed to run/get/all/iterate. */
  args: unknown[];
  shape: RowShape;
  safeIntegers: boolean;
  /** The statement changes the database (always mirrored; a lost one is a gap). */
  write: boolean;
  /** The statement's 'now' (ISO-8601), when it reads 'now'. */
  now?: string;
  /** The primary's answer; absent: apply without comparing. */
  answer?: Answer;
  /** Why this statement cannot be repeated on the secondary (not applied, not compared). */
  notMirrorable?: string[];
  /** The next op belongs to the same unit (a committed transaction): never split a group here. */
  more?: true;
  meta?: StatementMeta;
  /**
   * Caller's side only: `answer.rows` holds object rows flat, their values in the order of these
   * column names, `columns.length` per row (the worker receives the rows rebuilt, never this).
   */
  columns?: string[];
  /** Date.now() when the caller enqueued it (lag). */
  t: number;
  /**
   * A read, with the change log on: the log positions before and after the primary answered it
   * (its snapshot lies between). It is compared against a secondary state at exactly the second
   * one, or where no logged transaction in between touched its tables.
   */
  pos?: [number, number];
}

export type ToMirror =
  /** Ops encoded by mirror-wire.ts (eight slots each). */
  | { type: 'ops'; ops: unknown[]; logged?: number[] }
  /** Fingerprints of secrets the caller's thread has seen (KnownSecrets.drainFresh()). */
  | { type: 'secrets'; entries: Array<[number, number, string]> }
  | { type: 'close'; deadline: number }
  /** A parked thread (its last database closed) takes the next database's settings. */
  | { type: 'start'; config: MirrorConfig };

/** Settings of the mirror worker (workerData). */
export interface MirrorConfig {
  primarySide: SideName;
  secondarySide: SideName;
  databaseUrl: string;
  pgSchema: string;
  pgTimeoutMs: number;
  /** REGISTRY_PG_POOLER */
  pgPooler: 'none' | 'transaction';
  sqlOverrides: Array<[string, string]>;
  /** The SQLite file (SQLite secondary). */
  sqliteFile: string;
  divergenceLog: string;
  mirrorId: string;
  /** Ops in one secondary transaction at most. */
  groupSize: number;
  stats: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** Test seam: a module whose default export wraps the applier (slow or failing secondary). */
  applierWrapper?: string;
  /** Writes travel through the change log in the primary (SQLite primary on a file). */
  changeLog?: boolean;
}

/** Float64 slots of `stats`. Slots below CALLER_SLOTS are written by the worker only. */
export const S = {
  processed: 0,
  compared: 1,
  matched: 2,
  diverged: 3,
  notMirrorable: 4,
  notMirrorableWrites: 5,
  lagMs: 6,
  outages: 7,
  reconnections: 8,
  gaps: 9,
  mirroredWrites: 10,
  down: 11,
  workerErrors: 12,
  /** First of the per-kind divergence counters (DIFFERENCE_KINDS order). */
  byKind: 13,
  /** Written by the caller's thread: ops and writes dropped because the queue was full. */
  overflowOps: 24,
  overflowWrites: 25,
  enqueued: 26,
  enqueuedWrites: 27,
  /** Change log: reads not compared because a logged write in between touched their tables. */
  inconclusive: 28,
  /** Change log: the applied position last seen in the secondary. */
  appliedPosition: 29,
  /** Change log: 1 while this process holds the applier's lease. */
  leader: 30,
  /** Change log: logged transactions applied by this process's applier. */
  appliedTxns: 31,
  /** Differences explained by rows the backfill skipped by the operator's choice (not divergences). */
  acknowledged: 32,
} as const;
export const STATS_SLOTS = 33;

/** Int32 slots of `control`. */
export const C_CLOSED = 0;
export const C_EXITED = 1;
/** Set by the caller's thread while an OpenTelemetry SDK records: the worker then sends its metrics. */
export const C_METRICS = 2;
/**
 * Set by the worker while it is inside better-sqlite3 (the SQLite secondary). A thread stopped
 * there (terminate(), or the process exiting) aborts the whole process when SQLite reports an error
 * at that moment (better-sqlite3 cannot build the error object in a terminating thread), so the
 * caller's thread waits for it to clear before the worker is stopped.
 */
export const C_NATIVE = 3;
/** Set by the caller's thread: the worker starts no further SQLite call. */
export const C_STOP = 4;
/**
 * Change log: compared reads the caller's thread has sampled, and those the worker has received.
 * While they differ a read is on its way, and the applier of this process waits for it (bounded)
 * before applying past the position that read saw, so that it is compared at exactly that state.
 */
export const C_READS_SENT = 5;
export const C_READS_RECEIVED = 6;
export const CONTROL_SLOTS = 7;
