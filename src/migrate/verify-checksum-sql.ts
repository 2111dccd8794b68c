/**
 * The chunk checksums of `verify`'s fast path: each side writes a row as one text, the same text
 * for the same values, and PostgreSQL sums a key range up by itself (md5 of the rows joined by
 * newlines) so that only 32 hex digits per chunk cross the wire. A field is `~` for NULL,
 * `<digits>;` for a timestamp (its instant in ms), and `<UTF-8 length>:<text>` otherwise, so a
 * field's end is never ambiguous. The values are those of verify-sql.ts (timestamps by instant,
 * blobs as hex, booleans 1/0, text exactly), except JSON, which PostgreSQL gives as its jsonb text
 * and the SQLite side renders the same way in JavaScript (canonical-jsonb.ts). JSON columns come
 * last in the row text, so that SQLite can write everything before them in SQL.
 */
import { quoteSchema } from '../schema/registry';
import { ident, type MigrationColumn, type MigrationTable } from './columns';

/** The columns in row-text order: the non-JSON ones, then the JSON ones (table order within each). */
export function checksumColumns(table: MigrationTable): { plain: MigrationColumn[]; json: MigrationColumn[] } {
  return { plain: table.columns.filter((c) => c.kind !== 'json'), json: table.columns.filter((c) => c.kind === 'json') };
}

function sqliteField(column: MigrationColumn): string {
  const c = ident(column.name);
  switch (column.kind) {
    case 'timestamp':
      // Text SQLite cannot read stays itself after a '?', which no PostgreSQL instant starts with.
      return `CASE WHEN ${c} IS NULL THEN '~' ELSE coalesce(CAST(CAST(round(unixepoch(${c}, 'subsec') * 1000) AS INTEGER) AS TEXT) || ';', '?' || length(CAST(${c} AS BLOB)) || ':' || ${c}) END`;
    case 'blob':
      return `CASE WHEN ${c} IS NULL THEN '~' ELSE (length(CAST(${c} AS BLOB)) * 2) || ':' || lower(hex(${c})) END`;
    default:
      return `CASE WHEN ${c} IS NULL THEN '~' ELSE length(CAST(${c} AS BLOB)) || ':' || CAST(${c} AS TEXT) END`;
  }
}

function postgresValue(column: MigrationColumn): string {
  const c = ident(column.name);
  switch (column.kind) {
    case 'timestamp':
      return `round(extract(epoch FROM ${c}) * 1000)::bigint::text`;
    case 'blob':
      return `encode(${c}, 'hex')`;
    case 'boolean':
      return `${c}::int::text`;
    default:
      return `${c}::text`;
  }
}

function postgresField(column: MigrationColumn, value: string): string {
  if (column.kind === 'timestamp') return `coalesce(${value} || ';', '~')`;
  return `coalesce(octet_length(${value})::text || ':' || ${value}, '~')`;
}

/**
 * SQLite: one chunk after `?` (or from the start), `?` rows at most, in key order. With no JSON
 * column the whole chunk comes back as one text `[text, rows, lastKey]`; otherwise one row per
 * row: `[key, text of the non-JSON fields, ...JSON values]`.
 */
export function sqliteChecksumSql(table: MigrationTable, after: boolean): string {
  const { plain, json } = checksumColumns(table);
  const key = ident(table.key);
  const rows = `SELECT ${key} AS k, ${plain.map(sqliteField).join(' || ')} AS t${json.map((c) => `, CAST(${ident(c.name)} AS TEXT)`).join('')}
    FROM ${ident(table.name)} WHERE ${key} IS NOT NULL${after ? ` AND ${key} > ?` : ''} ORDER BY ${key} LIMIT ?`;
  return json.length ? rows : `SELECT group_concat(t, char(10)), count(*), max(k) FROM (${rows})`;
}

/** PostgreSQL: `[rows, md5]` of the key range `$1 < key <= $2` (a null bound is open). */
export function postgresChecksumSql(schema: string, table: MigrationTable): string {
  const { plain, json } = checksumColumns(table);
  const ordered = [...plain, ...json];
  const key = ident(table.key);
  // OFFSET 0 keeps the inner query a subquery, so that each value (jsonb::text above all) is computed once.
  return `SELECT count(*)::int AS n, coalesce(md5(string_agg(${ordered.map((c, i) => postgresField(c, `v${i}`)).join(' || ')}, E'\\n' ORDER BY k)), md5('')) AS h
    FROM (SELECT ${key} AS k, ${ordered.map((c, i) => `${postgresValue(c)} AS v${i}`).join(', ')}
            FROM ${quoteSchema(schema)}.${ident(table.name)}
           WHERE ($1::text IS NULL OR ${key} > $1::text COLLATE "C") AND ($2::text IS NULL OR ${key} <= $2::text COLLATE "C") OFFSET 0) s`;
}
