/**
 * Rows that `verify` names and `--repair` leaves alone, each with its reason: values one side holds
 * that the other cannot hold as the same value. SQLite lets in a NUL character in text, timestamp
 * words ('infinity') and integers beyond 64 bits (stored as REAL); PostgreSQL refuses the first and
 * last and would read 'infinity' as a time no SQLite date function knows. One such row must not stop
 * the comparison or the repair of every other row: it is reported by table, key and reason instead.
 */
import { ident, type MigrationColumn, type MigrationTable, type SqliteDatabase } from '../core';
import { type RowProblem } from '../results';

export type { RowProblem };

/** The SQLite condition (true = PostgreSQL cannot hold this value as SQLite does) and why, per column. */
function sqliteConditions(column: MigrationColumn): Array<{ sql: string; reason: string }> {
  const c = ident(column.name);
  switch (column.kind) {
    case 'text':
    case 'json':
      return [{ sql: `typeof(${c}) = 'text' AND instr(${c}, char(0)) > 0`, reason: 'text with a NUL character (U+0000), which PostgreSQL text cannot hold' }];
    case 'timestamp':
      return [
        { sql: `typeof(${c}) = 'text' AND instr(${c}, char(0)) > 0`, reason: 'text with a NUL character (U+0000), which PostgreSQL text cannot hold' },
        { sql: `typeof(${c}) = 'text' AND lower(trim(${c})) IN ('infinity', '+infinity', '-infinity')`, reason: "a timestamp word ('infinity') that SQLite's date functions cannot read" },
      ];
    case 'integer':
      return [{ sql: `typeof(${c}) = 'real' AND abs(${c}) >= 9223372036854775808.0`, reason: "a number beyond the 64-bit integer range of PostgreSQL's bigint" }];
    default:
      return [];
  }
}

/**
 * The rows among `keys` whose SQLite values PostgreSQL cannot hold, one problem per row (the first
 * column at fault). `nulled` columns per key are left out (the backfill writes NULL there).
 */
export function sqliteRowProblems(db: SqliteDatabase, table: MigrationTable, keys: readonly string[], nulled?: ReadonlyMap<string, readonly string[]>): RowProblem[] {
  if (keys.length === 0) return [];
  const checks = table.columns.flatMap((column) => sqliteConditions(column).map((check) => ({ column: column.name, ...check })));
  if (checks.length === 0) return [];
  const sql = `SELECT ${ident(table.key)} AS k, ${checks.map((check, i) => `coalesce(${check.sql}, 0) AS p${i}`).join(', ')}
    FROM ${ident(table.name)} WHERE ${ident(table.key)} IN (SELECT value FROM json_each(?)) AND (${checks.map((check) => `coalesce(${check.sql}, 0)`).join(' OR ')})`;
  const rows = db.prepare(sql).all(JSON.stringify(keys)) as Array<Record<string, unknown>>;
  const problems: RowProblem[] = [];
  for (const row of rows) {
    const key = String(row.k);
    const at = checks.findIndex((check, i) => Number(row[`p${i}`]) === 1 && !nulled?.get(key)?.includes(check.column));
    if (at >= 0) problems.push({ table: table.name, key, column: checks[at]!.column, side: 'sqlite', reason: checks[at]!.reason });
  }
  return problems;
}

/** PostgreSQL's canonical row (canonical/select-sql.ts) holds an infinite timestamp: a time SQLite cannot read. */
export function postgresRowProblem(table: MigrationTable, key: string, rowText: string): RowProblem | undefined {
  const values = JSON.parse(rowText) as unknown[];
  const at = table.columns.findIndex((column, i) => column.kind === 'timestamp' && typeof values[i] === 'string' && /^\?-?infinity$/.test(values[i] as string));
  if (at < 0) return undefined;
  return { table: table.name, key, column: table.columns[at]!.name, side: 'postgres', reason: `the timestamp '${(values[at] as string).slice(1)}', which SQLite's date functions cannot read` };
}

/**
 * An error that belongs to one row's values (PostgreSQL's data and constraint errors, SQLite's
 * constraint and type errors, a value conversion), as opposed to a failure of the connection or
 * the server: only the former are worth retrying row by row.
 */
export function isRowError(error: unknown): boolean {
  if (error instanceof RangeError || error instanceof TypeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return /^(22|23)[0-9A-Z]{3}$/.test(code) || /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

/** One line for a report: `agents ag-1 (description, in SQLite): text with a NUL character ...`. */
export function describeRowProblem(p: RowProblem): string {
  const side = p.side === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  return `${p.table} ${p.key} (${p.column ? `${p.column}, ` : ''}in ${side}): ${p.reason}`;
}
