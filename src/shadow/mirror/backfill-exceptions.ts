/**
 * The rows the operator chose to leave out of the backfill (`_registry_backfill_exceptions` in the
 * PostgreSQL schema), as the comparator knows them: a difference on a statement whose parameters
 * or primary answer name such a row of a table it reads or writes is acknowledged, never a
 * divergence (the row is in SQLite only, by choice). Read before the first comparison, again when
 * the change log gets its starting point (the backfill recorded them just before), and every 10 s.
 */
import { settle, type ConnectionPool } from '../../backends/postgres/core';
import { quoteIdent } from '../../policy';
import { BACKFILL_EXCEPTIONS_TABLE, referencedNames, type Answer, type MirrorOp } from '../shared';

const REFRESH_MS = 10_000;
/** Values of an answer looked at, at most. */
const MAX_VALUES = 10_000;

export interface AcknowledgedException {
  table: string;
  key: string;
  reason: string;
}

export class BackfillExceptions {
  /** table (lower case) → key → reason */
  #byTable = new Map<string, Map<string, string>>();
  #loadedAt = 0;
  #loading: Promise<void> | undefined;

  constructor(private readonly pool: ConnectionPool, private readonly schema: string) {}

  /** Reads the table again when it was read more than 10 s ago (in the background; errors keep the last set). */
  refresh(): void {
    if (!this.#loading && Date.now() - this.#loadedAt >= REFRESH_MS) void this.reload();
  }

  /** Reads the table now (or joins the read under way); resolves when done, also on failure (the last set stays). */
  reload(): Promise<void> {
    if (this.#loading) return this.#loading;
    this.#loading = this.#load()
      .catch(() => undefined)
      .finally(() => {
        this.#loading = undefined;
        this.#loadedAt = Date.now();
      });
    return this.#loading;
  }

  /** The skipped row that explains a difference of `op`, if any. */
  find(op: MirrorOp, tables: readonly string[] | undefined, primary: Answer): AcknowledgedException | undefined {
    if (this.#byTable.size === 0) return undefined;
    const names = tables ? tables.map((t) => t.toLowerCase()) : [...referencedNames(op.sql)];
    for (const table of names) {
      const keys = this.#byTable.get(table);
      if (!keys) continue;
      let found: string | undefined;
      const look = (value: unknown): boolean => {
        const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
        if (text !== undefined && keys.has(text)) found = text;
        return found !== undefined;
      };
      if (scan(op.args, look) || (primary.type === 'rows' && scan(primary.rows, look))) return { table, key: found!, reason: keys.get(found!)! };
    }
    return undefined;
  }

  async #load(): Promise<void> {
    const conn = await this.pool.acquire();
    try {
      const table = `${quoteIdent(this.schema)}.${BACKFILL_EXCEPTIONS_TABLE}`;
      const { error, query } = await settle(conn, { steps: [{ text: `SELECT table_name, row_key, reason FROM ${table} WHERE to_regclass($1) IS NOT NULL`, values: [table], target: true }] });
      if (error) throw error;
      const byTable = new Map<string, Map<string, string>>();
      for (const [name, key, reason] of query!.results[0]!.rows as Array<Array<string | null>>) {
        if (name === null || key === null) continue;
        let keys = byTable.get(name.toLowerCase());
        if (!keys) byTable.set(name.toLowerCase(), (keys = new Map()));
        keys.set(key, reason ?? '');
      }
      this.#byTable = byTable;
    } finally {
      this.pool.release(conn);
    }
  }
}

/** Calls `look` on the values of `items` (arrays and plain objects one level down) until it returns true. */
function scan(items: readonly unknown[], look: (value: unknown) => boolean): boolean {
  let seen = 0;
  for (const item of items) {
    if (++seen > MAX_VALUES) return false;
    if (item !== null && typeof item === 'object' && !ArrayBuffer.isView(item)) {
      for (const value of Array.isArray(item) ? item : Object.values(item as Record<string, unknown>)) if (look(value)) return true;
    } else if (look(item)) return true;
  }
  return false;
}
