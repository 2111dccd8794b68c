/**
 * One prepared statement of the async engine: the synchronous backend's PreparedStatement (the
 * translation, BindingPlan, RowShaper and server-side name made once) run through the async
 * connection. Repeated calls only Bind and Execute the named statement.
 */
import type { AsyncRowCursor, AsyncStatementEngine, ColumnDefinition, ReadMode, RunResult } from '../../../contracts';
import type { PgAsyncConnection } from './connection';
import { columnDefinitions, runResult, systemClock, withNow, type PreparedStatement } from '../statement/prepared';
import { classKeyOf } from '../statement/variants';
import type { RawRow, WireResult } from '../core/protocol';
import type { PgParam } from '../values/rows';

/** Rows fetched per round trip by iterate(), as in the synchronous backend. */
const CURSOR_BATCH = 256;

export class PgAsyncStatement implements AsyncStatementEngine {
  readonly #connection: PgAsyncConnection;
  readonly #prepared: PreparedStatement;

  /** The variant for a call's value classes (a statement whose parameters the values type; variants.ts). */
  readonly #specialise: ((base: PreparedStatement, key: string) => Promise<PreparedStatement>) | undefined;

  constructor(connection: PgAsyncConnection, prepared: PreparedStatement, specialise?: (base: PreparedStatement, key: string) => Promise<PreparedStatement>) {
    this.#connection = connection;
    this.#prepared = prepared;
    this.#specialise = specialise;
  }

  get source(): string {
    return this.#prepared.translation.source;
  }
  get reader(): boolean {
    return this.#prepared.fields !== null;
  }
  get readonly(): boolean {
    return this.#prepared.translation.readonly;
  }

  async run(params: unknown[]): Promise<RunResult> {
    const { result } = await this.#execute(params);
    const answer = runResult(this.#prepared.translation, result, this.#connection.lastInsertRowid);
    this.#connection.lastInsertRowid = answer.lastInsertRowid;
    return answer;
  }

  async get(params: unknown[], mode: ReadMode): Promise<unknown> {
    const { result: { rows }, prepared } = await this.#execute(params);
    return rows.length === 0 ? undefined : prepared.shaper!.row(rows[0]!, mode.shape, mode.safeIntegers);
  }

  async all(params: unknown[], mode: ReadMode): Promise<unknown[]> {
    const { result: { rows }, prepared } = await this.#execute(params);
    return prepared.shaper!.rows(rows, mode.shape, mode.safeIntegers);
  }

  columns(): ColumnDefinition[] {
    return columnDefinitions(this.#prepared, this.#connection.catalog);
  }

  /** A SELECT reads through a server-side cursor; a write that returns rows (RETURNING) runs once, whole. */
  async iterate(params: unknown[], mode: ReadMode): Promise<AsyncRowCursor> {
    if (this.#prepared.translation.kind !== 'select') {
      let rows: unknown[] | undefined = await this.all(params, mode);
      return {
        next: async () => {
          const out = rows ?? [];
          rows = undefined;
          return out;
        },
        close: async () => {
          rows = undefined;
        },
      };
    }
    const prepared = await this.#variant(params);
    const shaper = prepared.shaper!;
    const shaped = (rows: RawRow[]) => shaper.rows(rows, mode.shape, mode.safeIntegers);
    const cursor = await this.#connection.openCursor(prepared.translation.text, this.#values(prepared, params), CURSOR_BATCH);
    let pending: RawRow[] | undefined = cursor.first.rows;
    let done = cursor.first.done;
    return {
      async next(): Promise<unknown[]> {
        if (pending) {
          const rows = pending;
          pending = undefined;
          if (rows.length > 0) return shaped(rows);
        }
        if (done) return [];
        const batch = await cursor.fetch();
        done = batch.done;
        return shaped(batch.rows);
      },
      async close(): Promise<void> {
        pending = undefined;
        const open = !done;
        done = true;
        if (open) await cursor.close();
      },
    };
  }

  async #execute(params: unknown[]): Promise<{ result: WireResult; prepared: PreparedStatement }> {
    const prepared = await this.#variant(params);
    const result = await this.#connection.execute(prepared.translation, this.#values(prepared, params), prepared.name);
    return { result, prepared };
  }

  /** The statement as prepared for the classes of these values (itself unless Translation.valueTyped). */
  #variant(params: unknown[]): PreparedStatement | Promise<PreparedStatement> {
    const base = this.#prepared;
    const key = this.#specialise ? classKeyOf(base.translation, base.plan, params) : undefined;
    return key === undefined ? base : this.#specialise!(base, key);
  }

  /** better-sqlite3's binding checks and SQLite's coercions; 'now' evaluated once per execution. */
  #values(prepared: PreparedStatement, params: unknown[]): PgParam[] {
    return withNow(prepared.plan.pgValues(params), prepared.nowSlots, systemClock);
  }
}
