/** SQL fragments that describe the PostgreSQL schema the way SQLite describes its own. */
import { ROWID_COLUMN, ROWID_INDEX_SUFFIX } from '../schema/rowid';
import { SQLITE_TYPE_NAMES } from '../schema/sqlite-type-names';
import { quoteLiteral } from './context';

/** The SQLite type name reported for a PostgreSQL column type (format_type), as the registry declared it. */
export function sqliteTypeNameSql(formatType: string): string {
  const cases = [...SQLITE_TYPE_NAMES].map(([pg, sqlite]) => ` WHEN ${quoteLiteral(pg)} THEN ${quoteLiteral(sqlite)}`).join('');
  return `CASE ${formatType}${cases} ELSE upper(${formatType}) END`;
}

/** A column default as SQLite would print it: NOW() is CURRENT_TIMESTAMP, casts dropped, true is 1. */
export function sqliteDefaultSql(expr: string): string {
  return (
    `CASE WHEN ${expr} IS NULL THEN NULL WHEN lower(${expr}) IN ('now()', 'current_timestamp', 'date_trunc(''second''::text, now())') THEN 'CURRENT_TIMESTAMP'` +
    ` WHEN ${expr} = 'true' THEN '1' WHEN ${expr} = 'false' THEN '0'` +
    ` ELSE regexp_replace(${expr}, '::[a-z ]+$', '') END`
  );
}

/** Tables that belong to the adapter, not to the application: hidden from sqlite_master and PRAGMAs. */
export const INTERNAL_TABLE_PATTERN = '\\_registry%';

/**
 * sqlite_master as a subquery over pg_catalog for the schema: type, name, tbl_name, rootpage (0)
 * and sql — for a table a CREATE TABLE rebuilt from its columns with SQLite type names (enough for
 * checks such as sql LIKE '%column%'), for an index PostgreSQL's definition. Indexes that back a
 * PRIMARY KEY or UNIQUE constraint are left out, as SQLite leaves its autoindexes without sql.
 */
export function sqliteMasterSql(schema: string): string {
  const s = quoteLiteral(schema);
  return (
    `(SELECT m.type, m.name, m.tbl_name, CAST(0 AS bigint) AS rootpage, m.sql FROM (` +
    `SELECT CAST(CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS text) AS type, CAST(c.relname AS text) AS name, CAST(c.relname AS text) AS tbl_name, ` +
    `CASE WHEN c.relkind = 'v' THEN 'CREATE VIEW ' || c.relname || ' AS ' || pg_get_viewdef(c.oid) ELSE ` +
    `'CREATE TABLE ' || c.relname || ' (' || (SELECT string_agg(a.attname || ' ' || ${sqliteTypeNameSql('format_type(a.atttypid, a.atttypmod)')}, ', ' ORDER BY a.attnum) ` +
    `FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> '${ROWID_COLUMN}') || ')' END AS sql ` +
    `FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ` +
    `WHERE n.nspname = ${s} AND c.relkind IN ('r', 'p', 'v') AND c.relname NOT LIKE '${INTERNAL_TABLE_PATTERN}' ` +
    `UNION ALL SELECT 'index', CAST(ic.relname AS text), CAST(tc.relname AS text), pg_get_indexdef(i.indexrelid) ` +
    `FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid ` +
    `JOIN pg_catalog.pg_namespace n ON n.oid = tc.relnamespace WHERE n.nspname = ${s} AND tc.relname NOT LIKE '${INTERNAL_TABLE_PATTERN}' AND ic.relname NOT LIKE '%${ROWID_INDEX_SUFFIX}' ` +
    `AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)) AS m)`
  );
}
