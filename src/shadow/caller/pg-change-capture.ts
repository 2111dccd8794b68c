/**
 * The caller's end of the change log with PostgreSQL answering (docs/shadow-mode.md, The change
 * log): each committed write transaction becomes one row of `"<schema>"._registry_changes`,
 * inserted in that very transaction just before its COMMIT, so the row commits or rolls back with
 * the data. The insert runs under the write lock (the transaction's writes took it; it is held
 * until COMMIT), and its `seq` is the largest plus one, so `seq` order is the commit order of
 * every process writing the schema.
 *
 * A read's log position is the largest `seq` committed: this connection's own commits are known
 * without asking; other connections' are read by `refresh()`, once per batch of sampled reads.
 */
import { pgLogSql, type MirrorOp, encodeOps } from '../shared';
import type { LogCapture } from './change-capture';

/** What the capture needs of the PostgreSQL backend: its own SQL on the caller's connection, and transaction control. */
export interface PgCaptureConnection {
  query(text: string, values: unknown[], options?: { name?: string; write?: boolean }): Array<Array<string | null>>;
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
        if (attempt >= 5 || !/already exists|duplicate key/i.test((error as Error).message)) throw error;
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

  record(ops: readonly MirrorOp[], replacing?: number): number {
    const text = encodeOps(ops);
    // A COMMIT tried again: the row written for it, when still in the transaction, is rewritten.
    if (replacing !== undefined && this.#conn.query(this.#sql.replace, [ops.length, text, replacing], { name: 'sra_log_replace', write: true }).length === 1) return replacing;
    const rows = this.#conn.query(this.#sql.append, [Date.now(), process.pid, ops.length, text], { name: 'sra_log_append', write: true });
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
