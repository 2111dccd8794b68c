/**
 * Shadow mode with SQLite answering: the values PostgreSQL cannot hold as SQLite does (a NUL in
 * text, 'infinity' for a timestamp, integers beyond 64 bits: values/unholdable.ts; a value stored
 * into a typed column that its affinity keeps in a class PostgreSQL's column cannot hold:
 * values/store.ts) are refused before SQLite runs the statement, as postgres mode refuses them, so
 * the mirror never meets a write it cannot apply. The caller's cost is one scan of the arguments;
 * only arguments that could be such a value bring the statement's translation (cached per
 * statement), whose parameter targets come from SQLite's own schema mapped as `init` maps it; a
 * statement that stores no parameter into a column is then done with.
 */
import { BindingPlan, refuseUnholdable, storeCoercer, type ParamCoercer } from '../../backends/postgres/values';
import { type ColumnInfo, mapDeclaredType, type SchemaCatalog, type TableInfo } from '../../schema';
import { translate } from '../../translator';

const INT64_LIMIT = 2 ** 63;

function suspectValue(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0') || (value.length <= 12 && /infinity/i.test(value));
  return typeof value === 'number' && Math.abs(value) >= INT64_LIMIT;
}

/** A value a column's affinity may keep in a class PostgreSQL's column cannot hold (any but NULL). */
function storable(value: unknown): boolean {
  return value !== null && value !== undefined;
}

function anyArg(args: readonly unknown[], test: (value: unknown) => boolean): boolean {
  for (const arg of args) {
    if (Array.isArray(arg)) {
      if (arg.some(test)) return true;
    } else if (arg !== null && typeof arg === 'object' && !ArrayBuffer.isView(arg) && !(arg instanceof Date)) {
      if (Object.values(arg).some(test)) return true;
    } else if (test(arg)) return true;
  }
  return false;
}

/** Whether any argument (spread arrays and named-parameter objects included) could be refused. */
export function suspectArgs(args: readonly unknown[]): boolean {
  return anyArg(args, suspectValue);
}

type TableColumns = (table: string) => Array<{ name: string; type: string }>;

export class UnholdableArgs {
  #catalog: SchemaCatalog | undefined;
  readonly #plans = new Map<string, { plan: BindingPlan; slots: BindingPlan['slotsInfo']; stores: Array<ParamCoercer | undefined> | undefined } | null>();

  constructor(private readonly tableNames: () => string[], private readonly tableColumns: TableColumns) {}

  /** Throws the SqliteError postgres mode would for the first argument PostgreSQL cannot hold. */
  check(sql: string, args: readonly unknown[]): void {
    const suspect = suspectArgs(args);
    if (!suspect && (args.length === 0 || !anyArg(args, storable))) return;
    const entry = this.#plan(sql);
    if (!entry || (!suspect && !entry.stores)) return;
    let values: unknown[];
    try {
      values = entry.plan.bind(args);
    } catch {
      return; // a binding mistake: the primary reports it as better-sqlite3 does
    }
    entry.slots.forEach((slot, i) => {
      refuseUnholdable(values[i], slot.targetType, slot);
      entry.stores?.[i]?.(values[i], slot);
    });
  }

  /** After DDL: the schema is read again when next needed. */
  forget(): void {
    this.#catalog = undefined;
    this.#plans.clear();
  }

  #plan(sql: string) {
    let entry = this.#plans.get(sql);
    if (entry === undefined) {
      try {
        const translation = translate(sql, (this.#catalog ??= this.#readCatalog()));
        const plan = new BindingPlan(translation);
        const stores = plan.slotsInfo.map((slot) => (slot.store ? storeCoercer(slot.targetType) : undefined));
        entry = { plan, slots: plan.slotsInfo, stores: stores.some(Boolean) ? stores : undefined };
      } catch {
        entry = null; // SQL the translator does not take: the mirror reports it, as before
      }
      this.#plans.set(sql, entry);
    }
    return entry;
  }

  #readCatalog(): SchemaCatalog {
    const tables = new Map<string, TableInfo>();
    this.tableNames().forEach((name, i) => {
      const columns: ColumnInfo[] = this.tableColumns(name).map((c, position) => ({ name: c.name, type: mapDeclaredType(c.type), notNull: false, default: null, position: position + 1 }));
      tables.set(name.toLowerCase(), { name, oid: i + 1, columns, primaryKey: [], uniqueKeys: [], foreignKeys: [] });
    });
    return { schema: 'main', tables };
  }
}
