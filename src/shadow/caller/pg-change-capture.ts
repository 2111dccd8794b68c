/**
 * The caller's end of the change log with PostgreSQL answering (docs/shadow-mode.md, The change
 * log): each committed write transaction becomes one row of `"<schema>"._registry_changes`,
 * inserted in that very transaction, sent with its COMMIT in one round trip, so the row commits
 * or rolls back with the data and costs no round trip of its own. The insert runs under the
 * write lock (the transaction's writes took it; it is held until COMMIT), and its `seq` is the
 * largest plus one, so `seq` order is the commit order of every process writing the schema.
 *
 * A read's log position is the largest `seq` committed: this connection's own commits are known
 * without asking; other connections' are read by `refresh()`, once per batch of sampled reads.
 */
import { pgLogSql, type MirrorOp, encodeOps } from '../shared';
import type { LogCapture } from './change-capture';

/** What the capture needs of the PostgreSQL backend: its own SQL on the caller's connection, and transaction control. */
export interface PgCaptureConnection {
  query(text: string, values: unknown[], options?: { name?: string; write?: boolean }): Array<Array<string | null>>;
  /** Sends a statement with the COMMIT that ends the open transaction; `committedRows` are its rows after it. */
  onCommit(text: string, values: unknown[], name: string): void;
  readonly committedRows: Array<Array<string | null>> | undefined;
  begin(): void;
  commit(): void;
  rollback(): void;
  readonly inTransaction: boolean;
}

export class PgChangeCapture implements LogCapture {
  readonly #conn: PgCaptureConnection;
  readonly #sql: ReturnType<typeof pgLogSql>;
  #position = 0;

  constructor(conn: PgCaptureConnection, schema: string) {
    this.#conn = conn;
    this.#sql = pgLogSql(schema);
    // Two processes creating the table at once: one loses the race on the catalog, and tries again.
    for (let attempt = 0; ; attempt++) {
      try {
        conn.query(this.#sql.create, []);
        break;
      } catch (error) {
        // The error is SQLite's by now (UNIQUE constraint failed: pg_type...): PostgreSQL's code is its cause's.
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        const lostRace = code === '23505' || code === '42P07' || /already exists|duplicate key/i.test((error as Error).message);
        if (attempt >= 5 || !lostRace) throw error;
      }
    }
    conn.query(this.#sql.begin, [Date.now(), process.pid], { write: true });
    this.refresh();
  }

  get known(): number {
    return this.#position;
  }

  refresh(): boolean {
    const max = Number(this.#conn.query(this.#sql.end, [], { name: 'sra_log_end' })[0]?.[0] ?? 0);
    if (max <= this.#position) return false;
    this.#position = max;
    return true;
  }

  /** Leaves the row for the COMMIT (a failed COMMIT ends the transaction on PostgreSQL: nothing to replace). */
  record(ops: readonly MirrorOp[]): number {
    this.#conn.onCommit(this.#sql.append, [Date.now(), process.pid, ops.length, encodeOps(ops)], 'sra_log_append');
    return -1;
  }

  afterCommit(): number {
    const rows = this.#conn.committedRows;
    if (!rows || rows.length !== 1) throw new Error('the change log row of this COMMIT was not written');
    return Number(rows[0]![0]);
  }

  committed(seq: number): void {
    if (seq > this.#position) this.#position = seq;
  }

  begin(): void {
    this.#conn.begin();
  }

  commit(): void {
    this.#conn.commit();
  }

  rollback(): void {
    if (this.#conn.inTransaction) this.#conn.rollback();
  }

  get inTransaction(): boolean {
    return this.#conn.inTransaction;
  }
}
