/**
 * The messages between `SyncPgClient` (the caller's thread) and its worker thread (which owns the
 * `pg` connections). Everything here crosses a MessagePort, so it is plain structured-clone data.
 *
 * Values come back as PostgreSQL's text (`null` for NULL, bytea as `\x...` hex): the worker never
 * parses them, so the row transfer is an array of strings and the value shaper decides what each
 * column becomes.
 */
import type { MessagePort } from 'node:worker_threads';

/** The objects of the write lock, as quoted, schema-qualified names. */
export interface WriteLockObjects {
  /** The view locked by writers. */
  table: string;
  /** The sequence holding the last writer's transaction id. */
  lastWriter: string;
  /** The function a write outside a transaction calls: takes the lock and records the writer. */
  take: string;
}

/** One result column, as PostgreSQL describes it (`tableID`/`columnID` are 0 for expressions). */
export interface FieldInfo {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
}

/** A column value in PostgreSQL's text format. */
export type RawValue = string | null;
export type RawRow = RawValue[];

/** What the worker returns for a statement: rows as arrays, in the order of `fields`. */
export interface WireResult {
  rows: RawRow[];
  fields: FieldInfo[];
  /** Rows affected or returned, from the command tag (`INSERT 0 3` → 3); 0 when the tag has none. */
  rowCount: number;
  /** The command tag's verb: `SELECT`, `INSERT`, `UPDATE`, `DELETE`, `CREATE`, ... */
  command: string;
}

/** A statement's shape, learnt without running it. `fields` is null when it returns no rows. */
export interface DescribeResult {
  paramTypes: number[];
  fields: FieldInfo[] | null;
}

/** A batch read from a cursor; `done` means the cursor is exhausted and already closed. */
export interface CursorBatch {
  rows: RawRow[];
  fields: FieldInfo[];
  done: boolean;
}

export interface CursorOpened extends CursorBatch {
  cursor: number;
}

import type { TransactionMode } from '../../../contracts';
export type { TransactionMode };

/** The fields of pg's DatabaseError, kept under pg's names so `mapPgError` reads either. */
export interface SerializedPgError {
  message: string;
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  file?: string;
  line?: string;
  routine?: string;
}

/**
 * Why a request failed:
 * - `server`: PostgreSQL answered with an error; the connection is fine.
 * - `connection`: the connection broke while the request ran (its outcome is unknown).
 * - `connect`: no connection could be opened (unreachable, login refused, database missing).
 * - `cancelled`: the request was cancelled (timeout) before it reached the server.
 * - `client`: the request could not be sent (a parameter pg cannot encode, a closed cursor).
 * - `sqlite`: a misuse SQLite itself would refuse (`no such savepoint`), with SQLite's code.
 */
export type FailureKind = 'server' | 'connection' | 'connect' | 'cancelled' | 'client' | 'sqlite';

export interface Failure {
  kind: FailureKind;
  message: string;
  /** Present when PostgreSQL (or the socket, for `code`) said what went wrong. */
  pg?: SerializedPgError;
  sqliteCode?: string;
}

export type Request =
  /** `write`: the statement changes the database, so it runs under the write lock. */
  | { kind: 'query'; id: number; text: string; values: unknown[]; name?: string; write?: boolean }
  /** Several statements run as one (Translation.steps): one batch, their rows in turn, the sum of their counts. */
  | { kind: 'queryEach'; id: number; steps: QueryStep[]; write?: boolean }
  | { kind: 'describe'; id: number; text: string }
  | { kind: 'begin'; id: number; mode: TransactionMode }
  /** `last`: a write run just before COMMIT, in its round trip (its rows are the reply); see Session.finish. */
  | { kind: 'commit'; id: number; last?: LastStatement }
  | { kind: 'rollback'; id: number }
  | { kind: 'savepoint'; id: number; action: SavepointAction; name: string; last?: LastStatement }
  | { kind: 'openCursor'; id: number; text: string; values: unknown[]; batchSize: number }
  | { kind: 'fetch'; id: number; cursor: number }
  | { kind: 'closeCursor'; id: number; cursor: number }
  /** Cancel request `target` on the server; the worker answers at once (`cancelAck`). */
  | { kind: 'cancel'; id: number; target: number }
  /** Give up on request `target`: destroy its connection (the server no longer answers). */
  | { kind: 'abandon'; id: number; target: number }
  | { kind: 'close'; id: number }
  /** A thread parked after a client closed takes a new client's settings (no reply). */
  | { kind: 'configure'; id: number; config: WorkerConfig };

/** One statement of a `queryEach` request. */
export interface QueryStep {
  text: string;
  values: unknown[];
  name?: string;
}

export type SavepointAction = 'savepoint' | 'release' | 'rollbackTo';

/** A statement sent with the COMMIT that ends a transaction (shadow mode's change log row). */
export interface LastStatement {
  text: string;
  values: unknown[];
  name?: string;
}

export type Reply =
  | { id: number; ok: true; value: ReplyValue; inTransaction: boolean }
  | { id: number; ok: false; failure: Failure; inTransaction: boolean };

export type ReplyValue = WireResult | DescribeResult | CursorOpened | CursorBatch | 'cancelAck' | null;

/** Settings the worker gets at start (`workerData`). */
export interface WorkerConfig {
  connectionString: string;
  poolSize: number;
  timeoutMs: number;
  statementSetup: string[];
  applicationName: string;
  /** The advisory lock key of BEGIN IMMEDIATE/EXCLUSIVE without `writeLock`, as a decimal bigint literal. */
  writeLockKey: string;
  /** SQLite's write lock (see worker-write-lock.ts); absent: PostgreSQL's own transactions. */
  writeLock?: WriteLockObjects;
  /** How long a writer waits for the write lock (SQLite's busy timeout); default 90% of `timeoutMs`. */
  busyTimeoutMs?: number;
  /**
   * `transaction`: a transaction-mode pooler (PgBouncer) stands between us and PostgreSQL, so no
   * session state survives a transaction: the setup runs in every transaction, statements are unnamed.
   */
  pooler?: 'none' | 'transaction';
}

export interface WorkerData {
  config: WorkerConfig;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** Slots of the Int32Array over `WorkerData.signal`. */
export const SIGNAL_REPLIES = 0; // incremented after every reply is posted (the caller waits on it)
export const SIGNAL_STATE = 1; // the worker thread's state, below
export const WORKER_STARTING = 0;
export const WORKER_READY = 1;
export const WORKER_EXITED = 2;
export const SIGNAL_SLOTS = 2;

/**
 * How long the caller spins on the reply counter before it sleeps in Atomics.wait. A statement to
 * a nearby server takes 100-300 µs, and a thread put to sleep and woken again costs tens of µs
 * more (a futex wake-up and a reschedule), which was most of the bridge's own cost. A call that
 * takes longer sleeps as before: the caller spins at most this long per call. (The worker does not
 * spin for the next request: on two cores that took CPU from the server and the caller, for no
 * gain measured.)
 */
export const SPIN_MS = 0.3;
