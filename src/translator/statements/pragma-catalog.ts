/** PRAGMAs that describe a table: answered from pg_catalog in SQLite's shape. */
import { ROWID_COLUMN, ROWID_INDEX_SUFFIX } from '../../schema/rowid';
import { quoteLiteral } from '../context';
import { sqliteDefaultSql, sqliteTypeNameSql } from '../sqlite-types';

function tableFilter(schema: string, table: string, alias: string): string {
  return `n.nspname = ${quoteLiteral(schema)} AND lower(${alias}.relname) = lower(${quoteLiteral(table)})`;
}

/**
 * table_info: cid, name, type (SQLite names of the mapped types: bigint → INTEGER, jsonb → JSON,
 * timestamptz → TIMESTAMP...), notnull (0 for primary key columns, which PostgreSQL makes NOT NULL
 * implicitly and SQLite does not), dflt_value (NOW() shown as CURRENT_TIMESTAMP, casts dropped), pk.
 */
export function tableInfoSql(schema: string, table: string): string {
  return (
    'SELECT CAST(row_number() OVER (ORDER BY a.attnum) - 1 AS integer) AS cid, CAST(a.attname AS text) AS name, ' +
    `${sqliteTypeNameSql('format_type(a.atttypid, a.atttypmod)')} AS type, ` +
    'CAST(a.attnotnull AND COALESCE(array_position(k.conkey, a.attnum), 0) = 0 AS integer) AS notnull, ' +
    `${sqliteDefaultSql('pg_get_expr(d.adbin, d.adrelid)')} AS dflt_value, ` +
    'CAST(COALESCE(array_position(k.conkey, a.attnum), 0) AS integer) AS pk ' +
    'FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid ' +
    'JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
    'LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum ' +
    "LEFT JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid AND k.contype = 'p' " +
    `WHERE ${tableFilter(schema, table, 'c')} AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> '${ROWID_COLUMN}' ORDER BY a.attnum`
  );
}

/** index_list: seq, name, unique, origin ('pk', 'u' or 'c'), partial. */
export function indexListSql(schema: string, table: string): string {
  return (
    'SELECT CAST(row_number() OVER (ORDER BY ic.relname) - 1 AS integer) AS seq, CAST(ic.relname AS text) AS name, ' +
    'CAST(i.indisunique AS integer) AS "unique", ' +
    "CASE WHEN i.indisprimary THEN 'pk' WHEN k.contype = 'u' THEN 'u' ELSE 'c' END AS origin, " +
    'CAST(i.indpred IS NOT NULL AS integer) AS partial ' +
    'FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid ' +
    'JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = tc.relnamespace ' +
    'LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid ' +
    `WHERE ${tableFilter(schema, table, 'tc')} AND ic.relname NOT LIKE '%${ROWID_INDEX_SUFFIX}' ORDER BY ic.relname`
  );
}
