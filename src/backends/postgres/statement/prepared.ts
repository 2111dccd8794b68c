/**
 * One prepared statement on PostgreSQL: the translation (made once), the binding plan (made once),
 * the row shaper (made once from the statement's RowDescription), and a named server-side prepared
 * statement, so that a repeated statement skips PostgreSQL's parse and plan.
 */
import type { ColumnDefinition, ReadMode, RowIterator, RunResult, StatementEngine } from '../../../contracts';
import type { SchemaCatalog } from '../../../schema/catalog';
import type { Translation } from '../../../translator/types';
import { BindingPlan } from '../values/binding';
import { classKeyOf, VariantCache } from './variants';
import { declaredType } from '../../../schema/sqlite-type-names';
import type { FieldInfo, QueryStep, RawRow } from '../core/protocol';
import { RowShaper, type PgParam } from '../values/rows';

/** What a statement needs from its connection. */
export interface StatementRunner {
  readonly catalog: SchemaCatalog;
  /** SQLite's last_insert_rowid() of this connection: the rowid of the last row an INSERT added. */
  lastInsertRowid: number;
  execute(prepared: PreparedStatement, values: PgParam[]): { rows: RawRow[]; rowCount: number };
  openCursor(prepared: PreparedStatement, values: PgParam[]): RowSource;
}

/** Batches of raw rows from a server-side cursor. */
export interface RowSource {
  next(): RawRow | undefined;
  close(): void;
}

/** A statement as prepared on this connection: shared by every Statement object of the same SQL. */
export interface PreparedStatement {
  readonly translation: Translation;
  /** The server-side prepared statement's name (unique per SQL text on this connection). */
  readonly name: string | undefined;
  /** Result columns as PostgreSQL describes them; null when the statement returns no rows. */
  readonly fields: FieldInfo[] | null;
  readonly plan: BindingPlan;
  readonly shaper: RowShaper | undefined;
  /** Positions of the `$n` that take the statement's 'now'. */
  readonly nowSlots: number[];
  /** The statement as prepared for each class key of the values bound (Translation.valueTyped; see variants.ts). */
  readonly variants: VariantCache<PreparedStatement>;
}

/** A call's values, bound for the variant of the statement that their classes select. */
export interface PgBound {
  readonly prepared: PreparedStatement;
  readonly values: PgParam[];
}

/** The statement prepared for the classes of the values of one call (`base` itself for most). */
export type Specialise = (base: PreparedStatement, key: string) => PreparedStatement;

/**
 * Statements PostgreSQL can describe without running them (PREPARE takes DML only); a no-op that
 * returns no rows (VACUUM) has nothing to describe.
 */
export function isDescribable(translation: Translation): boolean {
  if (translation.kind === 'transaction' || translation.kind === 'ddl') return false;
  return !(translation.noop && !translation.reader);
}

/** SQLite's `changes`: the rows an INSERT, UPDATE or DELETE changed, 0 for every other statement. */
export function sqliteChanges(translation: Translation, rowCount: number): number {
  const kind = translation.kind;
  return kind === 'insert' || kind === 'update' || kind === 'delete' ? rowCount : 0;
}

/** What run() answers: SQLite's `changes`, and the connection's last_insert_rowid() after it. */
export function runResult(translation: Translation, result: { rows: RawRow[]; rowCount: number }, previousRowid: number): { changes: number; lastInsertRowid: number } {
  const lastInsertRowid = translation.rowidReturning ? lastRowid(result.rows, previousRowid) : previousRowid;
  return { changes: sqliteChanges(translation, result.rowCount), lastInsertRowid };
}

/**
 * The statements one execution sends when the translation runs in steps (Translation.steps): each
 * step's text with its share of the values, named after the statement's name.
 */
export function stepsOf(translation: Translation, values: readonly PgParam[], name: string | undefined): QueryStep[] {
  let at = 0;
  return translation.steps!.map((step, k) => {
    const part = values.slice(at, at + step.slots);
    at += step.slots;
    return name === undefined ? { text: step.text, values: part } : { text: step.text, values: part, name: `${name}_${k + 1}` };
  });
}

/** The positions of the `$n` that take the statement's 'now'. */
export function nowSlotsOf(translation: Translation): number[] {
  const slots: number[] = [];
  translation.slots.forEach((slot, i) => {
    if (slot.source.kind === 'now') slots.push(i);
  });
  return slots;
}

/**
 * A call's values with the statement's 'now', read once per execution (not once per bind: a
 * statement bound once and run again reads a new 'now', as SQLite reads it once per statement).
 * Shadow mode passes its own clock, so that both databases get the same 'now'.
 */
export function withNow(values: PgParam[], nowSlots: readonly number[], clock: () => string): PgParam[] {
  if (nowSlots.length === 0) return values;
  const out = values.slice();
  const now = clock();
  for (const i of nowSlots) out[i] = now;
  return out;
}

/** The current time as the statement's 'now' (ISO-8601). */
export const systemClock = (): string => new Date().toISOString();

export function preparedStatement(translation: Translation, fields: FieldInfo[] | null, name: string | undefined, catalog: SchemaCatalog): PreparedStatement {
  const nowSlots = nowSlotsOf(translation);
  // The rowids an INSERT returns for lastInsertRowid are not data: the statement is no reader.
  if (translation.rowidReturning) fields = null;
  return {
    translation,
    name,
    fields,
    plan: new BindingPlan(translation),
    shaper: fields ? new RowShaper(fields, catalog, translation.columnNames, translation.jsonScalarColumns, translation.echoColumns) : undefined,
    nowSlots,
    variants: new VariantCache(),
  };
}

function rowsOf(rows: RawRow[]): RowSource {
  let index = 0;
  return {
    next: () => rows[index++],
    close: () => {
      index = rows.length;
    },
  };
}

const MODE_OF = { object: 'object', pluck: 'pluck', raw: 'raw', expand: 'expand' } as const;

export class PgStatementEngine implements StatementEngine<PgBound> {
  constructor(
    private readonly runner: StatementRunner,
    private readonly prepared: PreparedStatement,
    /** The statement's 'now' (ISO-8601); shadow mode passes its own, so both databases get one value. */
    private readonly clock: () => string = systemClock,
    /** The variant for a call's value classes (a statement whose parameters the values type). */
    private readonly specialise?: Specialise,
  ) {}

  get translation(): Translation {
    return this.prepared.translation;
  }
  /** The statement reads 'now'. */
  get usesNow(): boolean {
    return this.prepared.nowSlots.length > 0;
  }

  get source(): string {
    return this.prepared.translation.source;
  }
  get reader(): boolean {
    return this.prepared.fields !== null;
  }
  get readonly(): boolean {
    return this.prepared.translation.readonly;
  }

  bind(args: unknown[]): PgBound {
    const base = this.prepared;
    const key = this.specialise ? classKeyOf(base.translation, base.plan, args) : undefined;
    const prepared = key === undefined ? base : this.specialise!(base, key);
    return { prepared, values: prepared.plan.pgValues(args) };
  }

  run(bound: PgBound): RunResult {
    const answer = runResult(this.prepared.translation, this.runner.execute(bound.prepared, this.#values(bound)), this.runner.lastInsertRowid);
    this.runner.lastInsertRowid = answer.lastInsertRowid;
    return answer;
  }

  get(bound: PgBound, mode: ReadMode): unknown {
    const { rows } = this.runner.execute(bound.prepared, this.#values(bound));
    if (rows.length === 0) return undefined;
    return bound.prepared.shaper!.row(rows[0]!, MODE_OF[mode.shape], mode.safeIntegers);
  }

  all(bound: PgBound, mode: ReadMode): unknown[] {
    const { rows } = this.runner.execute(bound.prepared, this.#values(bound));
    return bound.prepared.shaper!.rows(rows, MODE_OF[mode.shape], mode.safeIntegers);
  }

  iterate(bound: PgBound, mode: ReadMode): RowIterator {
    // A cursor reads a SELECT in batches; a write that returns rows (RETURNING) runs once, whole.
    const prepared = bound.prepared;
    const source = prepared.translation.kind === 'select'
      ? this.runner.openCursor(prepared, this.#values(bound))
      : rowsOf(this.runner.execute(prepared, this.#values(bound)).rows);
    const shaper = prepared.shaper!;
    const shape = MODE_OF[mode.shape];
    return {
      next(): IteratorResult<unknown, undefined> {
        const raw = source.next();
        if (raw === undefined) return { done: true, value: undefined };
        return { done: false, value: shaper.row(raw, shape, mode.safeIntegers) };
      },
      return(): void {
        source.close();
      },
    };
  }

  columns(): ColumnDefinition[] {
    return columnDefinitions(this.prepared, this.runner.catalog);
  }

  #values(bound: PgBound): PgParam[] {
    return withNow(bound.values, bound.prepared.nowSlots, this.clock);
  }
}

/**
 * The rowid of the last row an INSERT added (the last non-NULL value it returned), or `previous`
 * when it added none: SQLite's last_insert_rowid() keeps its value then.
 */
export function lastRowid(rows: RawRow[], previous: number): number {
  for (let i = rows.length - 1; i >= 0; i--) {
    const text = rows[i]![0];
    if (text !== null && text !== undefined) return Number(text);
  }
  return previous;
}

/** better-sqlite3's `columns()` for a prepared statement: names, source table and declared type. */
export function columnDefinitions(prepared: PreparedStatement, catalog: SchemaCatalog): ColumnDefinition[] {
  const fields = prepared.fields ?? [];
  const names = prepared.shaper?.columnNames ?? fields.map((f) => f.name);
  const byOid = new Map([...catalog.tables.values()].map((t) => [t.oid, t]));
  return fields.map((field, i) => {
    const table = field.tableID ? byOid.get(field.tableID) : undefined;
    const column = table?.columns.find((c) => c.position === field.columnID);
    return {
      name: names[i]!,
      column: column?.name ?? null,
      table: table?.name ?? null,
      database: table ? 'main' : null,
      // A column declared without a type has none in SQLite (better-sqlite3 gives null).
      type: column && !column.noAffinity ? declaredType(column.type) : null,
    };
  });
}
