/**
 * The SELECT lists `verify` reads on each side: SQL that yields, per column, the canonical text
 * of values.ts (JSON excepted, which JavaScript canonicalises), in primary-key order by byte.
 */
import { quoteSchema } from '../../schema';
import { quoteLiteral } from '../../policy';
import { ident, type MigrationColumn, type MigrationTable } from '../core';
import { postgresEpochMs, sqliteEpochMs } from './checksum-sql';

function sqliteExpression(column: MigrationColumn): string {
  const c = ident(column.name);
  switch (column.kind) {
    case 'timestamp':
      // The instant (ms); text SQLite cannot read is kept, marked, so it never equals a real instant.
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE coalesce(CAST(${sqliteEpochMs(c)} AS TEXT), '?' || ${c}) END`;
    case 'blob':
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE lower(hex(${c})) END`;
    default:
      return `CAST(${c} AS TEXT)`;
  }
}

function postgresExpression(column: MigrationColumn): string {
  const c = ident(column.name);
  switch (column.kind) {
    case 'timestamp':
      // The checksums' expression (checksum-sql.ts): equal checksums must mean equal rows here.
      return postgresEpochMs(c);
    case 'blob':
      return `encode(${c}, 'hex')`;
    case 'boolean':
      return `${c}::int::text`;
    default:
      return `${c}::text`;
  }
}

/** SQLite: the table's canonical columns, with `?` placeholders for the key range. */
export function sqliteCanonicalSql(table: MigrationTable, range: { after: boolean; upTo: boolean; limit: boolean }): string {
  const key = ident(table.key);
  const where = [`${key} IS NOT NULL`];
  if (range.after) where.push(`${key} > ?`);
  if (range.upTo) where.push(`${key} <= ?`);
  return `SELECT ${table.columns.map(sqliteExpression).join(', ')} FROM ${ident(table.name)}
    WHERE ${where.join(' AND ')} ORDER BY ${key}${range.limit ? ' LIMIT ?' : ''}`;
}

/** PostgreSQL: the same columns, ordered as SQLite orders text keys (by byte). */
export function postgresCanonicalSql(schema: string, table: MigrationTable, range?: { after: string | null; upTo: string | null }): string {
  const key = ident(table.key);
  const where: string[] = [];
  if (range?.after != null) where.push(`${key} > ${quoteLiteral(range.after)} COLLATE "C"`);
  if (range?.upTo != null) where.push(`${key} <= ${quoteLiteral(range.upTo)} COLLATE "C"`);
  return `SELECT ${table.columns.map(postgresExpression).join(', ')} FROM ${quoteSchema(schema)}.${ident(table.name)}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key} COLLATE "C"`;
}
