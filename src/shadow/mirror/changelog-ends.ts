/**
 * The two ends of a change log, by which database answers (docs/shadow-mode.md, The change log):
 * where the log is read and pruned (the primary), and where the applied position lives and moves
 * in the same transaction as the writes it covers (the secondary). The applier's lease and
 * heartbeat are in PostgreSQL either way. changelog-loop.ts runs the same loop over either.
 * - SQLite primary: the log is the registry file's `_registry_changes`, the position is
 *   `"<schema>"._registry_applied` (source `sqlite`).
 * - PostgreSQL primary: the log is `"<schema>"._registry_changes`, the position is the registry
 *   file's `_registry_applied` (source `postgres`).
 */
import { CHANGES_TABLE, pgLogSql, positionSql, POSTGRES_LOG, SQLITE_LOG, SQLITE_POSITION_SQL } from '../shared';
import type { GroupFrame } from './applier';

export interface LogRow {
  seq: number;
  at: number;
  ops: string;
}

interface NativeStatement {
  all(...args: unknown[]): unknown[];
  run(...args: unknown[]): { changes: number };
  get(...args: unknown[]): unknown;
}

/** What the ends use of the loop: PostgreSQL through its pool, the registry file through its connection. */
export interface EndsAccess {
  query(text: string, values: unknown[]): Promise<Array<Array<string | null>>>;
  /** Runs synchronous work on the registry file (see LogLoop's C_NATIVE handling). */
  sqlite<T>(work: (prepare: (sql: string) => NativeStatement) => T): T;
}

export interface LogEnds {
  /** The log's name in the position and heartbeat tables, and in the lease's key. */
  readonly source: string;
  /** Creates the position's table (the secondary's side). */
  setup(): Promise<void>;
  rows(from: number, limit: number): Promise<LogRow[]>;
  ops(seq: number): Promise<string | undefined>;
  /** The position, or null: none yet (waiting for the hand-off). */
  readPosition(): Promise<number | null>;
  /** Starts the position at 0 when the log may start by itself; true when it did. */
  startByItself(): Promise<boolean>;
  prune(position: number, before: number, batch: number): Promise<void>;
  /** The statement closing a group: moves the position from `from` to `last` (it checks `from`). */
  advance(last: number, txns: number, from: number): { text: string; values: unknown[] };
  /** The statement opening a group of reads: the position, read in the same snapshot. */
  readFrame(): NonNullable<GroupFrame['first']>;
}

/** SQLite answers: the log in the registry file, the position in PostgreSQL. */
export class SqliteLogEnds implements LogEnds {
  readonly source = SQLITE_LOG;
  readonly #sql: ReturnType<typeof positionSql>;

  constructor(schema: string, private readonly access: EndsAccess) {
    this.#sql = positionSql(schema);
  }

  async setup(): Promise<void> {}

  async rows(from: number, limit: number): Promise<LogRow[]> {
    return this.access.sqlite((prepare) => prepare(`SELECT seq, at, ops FROM ${CHANGES_TABLE} WHERE seq > ? ORDER BY seq LIMIT ${limit}`).all(from) as LogRow[]);
  }

  async ops(seq: number): Promise<string | undefined> {
    const row = this.access.sqlite((prepare) => prepare(`SELECT ops FROM ${CHANGES_TABLE} WHERE seq = ?`).get(seq)) as { ops: string } | undefined;
    return row?.ops;
  }

  async readPosition(): Promise<number | null> {
    const rows = await this.access.query(this.#sql.read, [SQLITE_LOG]);
    return rows.length === 0 ? null : Number(rows[0]![0]);
  }

  async startByItself(): Promise<boolean> {
    // Only a log begun on an empty registry (its row 0) starts by itself; else `backfill` hands over.
    if (this.access.sqlite((prepare) => prepare(`SELECT 1 FROM ${CHANGES_TABLE} WHERE seq = 0`).get()) === undefined) return false;
    await this.access.query(this.#sql.start, [SQLITE_LOG, 0, 'empty registry']);
    return true;
  }

  async prune(position: number, before: number, batch: number): Promise<void> {
    this.access.sqlite((prepare) => prepare(`DELETE FROM ${CHANGES_TABLE} WHERE seq IN (SELECT seq FROM ${CHANGES_TABLE} WHERE seq < ? AND at < ? ORDER BY seq LIMIT ${batch})`).run(position, before));
  }

  advance(last: number, txns: number, from: number) {
    return { text: this.#sql.advance, values: [last, txns, SQLITE_LOG, from] };
  }

  readFrame() {
    return { text: this.#sql.read, values: [SQLITE_LOG] };
  }
}

/** PostgreSQL answers: the log in the schema, the position in the registry file. */
export class PgLogEnds implements LogEnds {
  readonly source = POSTGRES_LOG;
  readonly #log: ReturnType<typeof pgLogSql>;
  readonly #positions: ReturnType<typeof positionSql>;

  constructor(schema: string, private readonly access: EndsAccess) {
    this.#log = pgLogSql(schema);
    this.#positions = positionSql(schema);
  }

  async setup(): Promise<void> {
    this.access.sqlite((prepare) => prepare(SQLITE_POSITION_SQL.create).run());
  }

  async rows(from: number, limit: number): Promise<LogRow[]> {
    const rows = await this.access.query(this.#log.rows, [from, limit]);
    return rows.map((r) => ({ seq: Number(r[0]), at: Number(r[1]), ops: r[2]! }));
  }

  async ops(seq: number): Promise<string | undefined> {
    const rows = await this.access.query(this.#log.one, [seq]);
    return rows[0]?.[0] ?? undefined;
  }

  async readPosition(): Promise<number | null> {
    const row = this.access.sqlite((prepare) => prepare(SQLITE_POSITION_SQL.read).get(POSTGRES_LOG)) as { position: number } | undefined;
    return row === undefined ? null : Number(row.position);
  }

  /**
   * The log's row 0 was written when it was created: it holds every write PostgreSQL answered
   * since, and the applier starts from it, after the writes SQLite answered before the flip: while
   * the registry file's own change log has transactions PostgreSQL has not applied yet (processes
   * still answering with SQLite, or their applier behind), it waits, so that SQLite gets
   * PostgreSQL's writes after its own.
   */
  async startByItself(): Promise<boolean> {
    if ((await this.access.query(this.#log.hasStart, [])).length === 0) return false;
    const sqliteEnd = this.access.sqlite((prepare) => {
      const present = prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${CHANGES_TABLE}'`).get() !== undefined;
      return present ? Number((prepare(`SELECT max(seq) AS n FROM ${CHANGES_TABLE}`).get() as { n: number | null }).n ?? 0) : null;
    });
    if (sqliteEnd !== null) {
      const applied = await this.access.query(this.#positions.read, [SQLITE_LOG]).catch(() => []);
      if (applied.length > 0 && Number(applied[0]![0]) < sqliteEnd) return false;
    }
    this.access.sqlite((prepare) => prepare(SQLITE_POSITION_SQL.start).run(POSTGRES_LOG, 0, 'flip'));
    return true;
  }

  async prune(position: number, before: number, batch: number): Promise<void> {
    await this.access.query(this.#log.prune, [position, before, batch]);
  }

  advance(last: number, txns: number, from: number) {
    return { text: SQLITE_POSITION_SQL.advance, values: [last, txns, POSTGRES_LOG, from] };
  }

  readFrame() {
    return { text: SQLITE_POSITION_SQL.read, values: [POSTGRES_LOG] };
  }
}
