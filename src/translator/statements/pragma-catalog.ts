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

/**
 * index_list: seq, name, unique, origin ('pk', 'u' or 'c'), partial, as SQLite lists them: the
 * most recently created index first, and the indexes of PRIMARY KEY and UNIQUE constraints named
 * `sqlite_autoindex_<table>_<n>`, numbered in the order they were made. An INTEGER PRIMARY KEY is
 * the rowid and has no index in SQLite (a table whose primary key is one bigint column and that has
 * no hidden rowid column); the hidden rowid's own index is left out.
 */
export function indexListSql(schema: string, table: string): string {
  return (
    'SELECT CAST(row_number() OVER (ORDER BY x.oid DESC) - 1 AS integer) AS seq, ' +
    "CASE WHEN x.auto THEN 'sqlite_autoindex_' || x.tname || '_' || CAST(row_number() OVER (PARTITION BY x.auto ORDER BY x.oid) AS text) ELSE x.iname END AS name, " +
    'x."unique", x.origin, x.partial FROM (' +
    'SELECT ic.oid, CAST(ic.relname AS text) AS iname, CAST(tc.relname AS text) AS tname, ' +
    "COALESCE(k.contype IN ('p', 'u'), false) AS auto, CAST(i.indisunique AS integer) AS \"unique\", " +
    "CASE WHEN i.indisprimary THEN 'pk' WHEN k.contype = 'u' THEN 'u' ELSE 'c' END AS origin, " +
    'CAST(i.indpred IS NOT NULL AS integer) AS partial ' +
    'FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid ' +
    'JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = tc.relnamespace ' +
    'LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid ' +
    `WHERE ${tableFilter(schema, table, 'tc')} AND ic.relname NOT LIKE '%${ROWID_INDEX_SUFFIX}' ` +
    'AND NOT (i.indisprimary AND i.indnatts = 1 AND ' +
    "(SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE a.attrelid = tc.oid AND a.attnum = i.indkey[0]) = 'pg_catalog.int8'::regtype AND " +
    `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute h WHERE h.attrelid = tc.oid AND h.attname = '${ROWID_COLUMN}' AND NOT h.attisdropped))` +
    ') AS x ORDER BY x.oid DESC'
  );
}
