/**
 * SQLite declared types → PostgreSQL types (docs/api.md, Column types). SQLite accepts any declared type and keeps
 * values loosely; PostgreSQL needs one type per column, chosen here by SQLite's affinity rules with
 * the registry's own types (JSON, BOOLEAN, TIMESTAMP, BLOB) mapped as the migration plan says.
 */
import type { PgColumnType } from './catalog';

/** Maps one SQLite declared type (as written in CREATE TABLE; may be empty) to a PostgreSQL type. */
export function mapDeclaredType(declared: string): PgColumnType {
  const t = declared.trim().toUpperCase();
  if (t === '') return 'text'; // no declared type: BLOB affinity in SQLite, but the registry stores text there
  if (t === 'JSON' || t === 'JSONB') return 'jsonb';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  if (t.startsWith('TIMESTAMP') || t === 'DATETIME') return 'timestamp with time zone';
  if (t === 'DATE') return 'date';
  // SQLite's affinity rules, in SQLite's own order (https://sqlite.org/datatype3.html §3.1).
  if (t.includes('INT')) return 'bigint'; // SQLite integers are 64-bit
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB')) return 'bytea';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'double precision';
  return 'numeric';
}

/**
 * Maps a column default written in SQLite to PostgreSQL for a column of `pgType`.
 * `CURRENT_TIMESTAMP` into a TIMESTAMPTZ column becomes NOW() to the second; into a TEXT column it must stay
 * SQLite's text (`YYYY-MM-DD HH:MM:SS`, UTC). Booleans written as 0/1 become false/true.
 */
export function mapDefault(sqliteDefault: string, pgType: PgColumnType): string {
  const d = sqliteDefault.trim();
  const upper = d.toUpperCase();
  if (upper === 'CURRENT_TIMESTAMP' || upper === "(DATETIME('NOW'))" || upper === "DATETIME('NOW')") {
    // SQLite's CURRENT_TIMESTAMP has whole seconds: the stored instant is the one SQLite would store.
    if (pgType === 'timestamp with time zone' || pgType === 'timestamp without time zone') return "date_trunc('second', NOW())";
    return `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')`;
  }
  if (upper === 'CURRENT_DATE') return pgType === 'date' ? 'CURRENT_DATE' : `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  if (pgType === 'boolean') {
    if (d === '1' || upper === 'TRUE') return 'true';
    if (d === '0' || upper === 'FALSE') return 'false';
  }
  if (pgType === 'jsonb' && /^'.*'$/s.test(d)) return `${d}::jsonb`;
  return d;
}

/** Text columns sort and compare as SQLite's BINARY collation does, whatever the server's locale. */
export function collationFor(pgType: PgColumnType): string {
  return pgType === 'text' || pgType === NO_AFFINITY_TYPE ? ' COLLATE "C"' : '';
}

/**
 * The type a column declared without a type is created with: text under the name `character
 * varying`, so that the catalog knows it has no affinity in SQLite (ColumnInfo.noAffinity); the
 * DDL translator writes no other column as varchar (VARCHAR(n) is TEXT affinity: text).
 */
export const NO_AFFINITY_TYPE = 'character varying';

/** The type written in CREATE TABLE for a column of `declared` SQLite type mapped to `pgType`. */
export function ddlColumnType(declared: string, pgType: PgColumnType): string {
  return declared.trim() === '' && pgType === 'text' ? NO_AFFINITY_TYPE : pgType;
}
