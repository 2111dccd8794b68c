/**
 * The primary side of shadow mode, one per REGISTRY_PRIMARY: a backend, and how to get a
 * StatementEngine from it that takes the adapter's 'now'.
 */
import type { OpenPlan } from '../../adapter';
import type { Backend, StatementEngine } from '../../contracts';
import { PostgresBackend } from '../../backends/postgres';
import { SqliteBackend } from '../../backends/sqlite';
import { type NativeStatement, NOW_FUNCTION, rewriteNow, SqlitePrimaryEngine, type StatementMeta } from '../shared';
import type { NowDefaults } from './now-defaults';
import type { ShadowSession } from './session';
import { UnholdableArgs } from './unholdable-args';
import { quoteIdent } from '../../policy';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

export interface PrimaryStatement {
  engine: StatementEngine<unknown>;
  usesNow: boolean;
  meta?: () => StatementMeta;
}

export interface PrimarySide {
  readonly backend: Backend;
  prepare(source: string, database: object): PrimaryStatement;
  /** One statement of exec(): the SQL to run on the primary, whether it reads 'now', and (PostgreSQL) how to run it with the statement's 'now'. */
  execSql(source: string): { sql: string; usesNow: boolean; run?: () => void };
  /** The default of safeIntegers for new statements. */
  safeIntegers: boolean;
  /** Columns whose default is the current time, per table (see now-defaults.ts). */
  nowDefaults: NowDefaults;
  /** Forgets what nowDefaults learnt (after DDL). */
  forgetSchema(): void;
  /** Refuses arguments the secondary (PostgreSQL) cannot hold, before the primary runs (SQLite primary). */
  checkArgs?(sql: string, args: readonly unknown[]): void;
}

const SQLITE_NOW_DEFAULTS = new Set(['CURRENT_TIMESTAMP', "DATETIME('NOW')", "(DATETIME('NOW'))", 'CURRENT_DATE', 'CURRENT_TIME']);

/** Memoises a per-table lookup until the schema changes. */
function perTable(read: (table: string) => string[]): { get: NowDefaults; clear(): void } {
  const cache = new Map<string, string[]>();
  return {
    get(table) {
      let found = cache.get(table);
      if (!found) cache.set(table, (found = read(table)));
      return found;
    },
    clear: () => cache.clear(),
  };
}

export function sqlitePrimary(filename: string, options: object, database: object, session: () => ShadowSession): PrimarySide {
  const backend = new SqliteBackend(filename, options, database);
  // sra_now(): the statement's 'now', set by the adapter before each run (see shared/now-rewrite.ts).
  backend.sqliteOnly('function', database, [NOW_FUNCTION, { deterministic: false }, () => session().nowText]);
  const defaults = perTable((table) => {
    const columns = backend.pragma(`table_info(${quoteIdent(table)})`, false, database) as Array<{ name: string; dflt_value: string | null }>;
    return columns.filter((c) => c.dflt_value !== null && SQLITE_NOW_DEFAULTS.has(c.dflt_value.toUpperCase().replace(/\s+/g, ''))).map((c) => c.name.toLowerCase());
  });
  const pragma = <T>(source: string): T => backend.pragma(source, false, database) as T;
  const unholdable = new UnholdableArgs(
    () => pragma<Array<{ name: string; type: string }>>('table_list').filter((t) => t.type === 'table' && !t.name.startsWith('sqlite_')).map((t) => t.name),
    (table) => pragma<Array<{ name: string; type: string }>>(`table_info(${quoteIdent(table)})`),
  );
  const side: PrimarySide = {
    backend,
    safeIntegers: false,
    nowDefaults: defaults.get,
    forgetSchema: () => {
      defaults.clear();
      unholdable.forget();
    },
    checkArgs: (sql, args) => unholdable.check(sql, args),
    prepare(source, db) {
      const rewritten = rewriteNow(source);
      const native = backend.prepare(rewritten.sql, db) as NativeStatement;
      return { engine: new SqlitePrimaryEngine(native, source, side.safeIntegers), usesNow: rewritten.usesNow };
    },
    execSql: (source) => rewriteNow(source),
  };
  return side;
}

export function postgresPrimary(plan: ManagedPlan, filename: string, options: { readonly?: boolean }, session: () => ShadowSession): PrimarySide {
  const backend = new PostgresBackend(plan, filename, options);
  if (!backend.capabilities.clockedStatements) throw new Error(`shadow mode needs statements with its own clock from the ${backend.capabilities.dialect} backend`);
  return {
    backend,
    safeIntegers: false,
    // The catalog is read again after DDL: no cache to forget.
    nowDefaults: (table) => backend.nowDefaultColumns!(table),
    forgetSchema: () => {},
    prepare(source) {
      const { engine, usesNow, facts } = backend.prepareClocked!(source, () => session().now);
      const meta = (): StatementMeta => ({
        ordered: facts.ordered,
        slots: facts.slots as StatementMeta['slots'],
        tables: [...facts.tables],
        ...(facts.columnNames ? { columnNames: [...facts.columnNames] } : {}),
        ...(facts.notMirrorable ? { notMirrorable: [...facts.notMirrorable] } : {}),
      });
      return { engine, usesNow, meta };
    },
    execSql(source) {
      try {
        return { sql: source, ...backend.execClocked(source, () => session().now) };
      } catch (error) {
        // Refused at translation: exec() reports it as its own failure (and the mirror compares it).
        return { sql: source, usesNow: false, run: () => { throw error; } };
      }
    },
  };
}
