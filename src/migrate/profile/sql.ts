/**
 * The SQL the profile runs on SQLite: one aggregate scan per table counting, per column, the values
 * PostgreSQL would refuse or read differently, and the conditions that find those rows again.
 */
import { ident, type MigrationColumn, type MigrationTable } from '../core';
import { type LooseKind } from '../results';
export type { LooseKind };



/** The SQL condition (true = a loose value) for a column, or undefined when every value copies. */
export function looseCondition(column: MigrationColumn): { kind: LooseKind; sql: string } | undefined {
  const c = ident(column.name);
  switch (column.kind) {
    case 'integer':
      return { kind: 'not-an-integer', sql: `typeof(${c}) NOT IN ('integer', 'null')` };
    case 'boolean':
      return { kind: 'not-a-boolean', sql: `${c} IS NOT NULL AND (typeof(${c}) <> 'integer' OR ${c} NOT IN (0, 1))` };
    case 'json':
      return { kind: 'invalid-json', sql: `typeof(${c}) = 'blob' OR (typeof(${c}) = 'text' AND NOT json_valid(${c}))` };
    case 'timestamp':
      // PostgreSQL reads what SQLite's date functions read, except impossible dates (Feb 30) and words ('now').
      return { kind: 'unparseable-timestamp', sql: `${c} IS NOT NULL AND (typeof(${c}) <> 'text' OR date(${c}) IS NOT substr(${c}, 1, 10))` };
    default:
      return undefined;
  }
}

/** Names of the aggregate's result columns. */
export const statName = (column: string, stat: string): string => `${stat}:${column}`;

/** One scan: row count, null keys, loose values per column, timestamp formats, numbers in TEXT. */
export function profileAggregateSql(table: MigrationTable): string {
  const key = ident(table.key);
  const parts = [`count(*) AS ${ident('rows')}`, `coalesce(sum(${key} IS NULL), 0) AS ${ident(statName(table.key, 'null-key'))}`];
  for (const column of table.columns) {
    const c = ident(column.name);
    const loose = looseCondition(column);
    if (loose) parts.push(`coalesce(sum(${loose.sql}), 0) AS ${ident(statName(column.name, loose.kind))}`);
    if (column.kind === 'timestamp') {
      // The 11th character tells the two formats apart, as learnTimestampFormat tells them.
      parts.push(`coalesce(sum(substr(${c}, 11, 1) = 'T'), 0) AS ${ident(statName(column.name, 'iso'))}`);
      parts.push(`coalesce(sum(substr(${c}, 11, 1) = ' '), 0) AS ${ident(statName(column.name, 'sqlite'))}`);
    }
    if (column.kind === 'text') {
      parts.push(`coalesce(sum(typeof(${c}) IN ('integer', 'real', 'blob')), 0) AS ${ident(statName(column.name, 'not-text'))}`);
    }
  }
  return `SELECT ${parts.join(', ')} FROM ${ident(table.name)}`;
}

/** Child rows whose non-null reference points at no parent row. */
export function orphanSql(table: MigrationTable, column: MigrationColumn): string {
  const ref = column.references!;
  // NOT IN over the parent's keys scans the child in storage order: twice as fast as NOT EXISTS in key order.
  return `SELECT ${ident(table.key)}, ${ident(column.name)} FROM ${ident(table.name)}
    WHERE ${ident(column.name)} IS NOT NULL
      AND ${ident(column.name)} NOT IN (SELECT ${ident(ref.column)} FROM ${ident(ref.table)} WHERE ${ident(ref.column)} IS NOT NULL)`;
}

/** Child rows whose reference points at one of the parent keys given as a JSON array (rows being skipped). */
export function referencingSql(table: MigrationTable, column: MigrationColumn): string {
  return `SELECT ${ident(table.key)}, ${ident(column.name)} FROM ${ident(table.name)}
    WHERE ${ident(column.name)} IN (SELECT value FROM json_each(?)) ORDER BY ${ident(table.key)}`;
}
