/**
 * loadCatalog: reads one PostgreSQL schema's tables from pg_catalog into a SchemaCatalog (column
 * types as format_type prints them, keys, foreign keys, oids), and each timestamp column's SQLite
 * text format from its COMMENT (`sqlite-format=iso` or `sqlite-format=sqlite`; default sqlite).
 */
import type { ColumnInfo, SchemaCatalog, TableInfo, TimestampFormat, ViewInfo } from './catalog';
import { driveAsync, driveSync } from './drive';
import { ROWID_COLUMN, ROWID_COLUMNS_SQL } from './rowid';
import { NO_AFFINITY_TYPE } from './type-mapping';

/** Anything with pg's query(): a pg.Client, a pg.Pool, a PoolClient. */
export interface CatalogClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

interface TableRow { oid: string; name: string; kind: string; definition?: string | null }
interface ColumnRow { oid: string; name: string; type: string; not_null: boolean; dflt: string | null; position: number; comment: string | null }
interface KeyRow { oid: string; kind: string; columns: string[] | string; references: string | null; ref_columns: string[] | string | null }

/** A JSON array column, parsed by pg or (with raw type parsers) still text. */
function names(value: string[] | string | null): string[] {
  if (value === null) return [];
  return typeof value === 'string' ? (JSON.parse(value) as string[]) : value;
}

const TABLES_SQL = `
SELECT c.oid::int8 AS oid, c.relname AS name, c.relkind::text AS kind,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm')`;

const COLUMNS_SQL = `
SELECT a.attrelid::int8 AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attnum AS position,
       col_description(a.attrelid, a.attnum) AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

/** Constraints, and unique indexes that are not constraints (plain, non-partial, on columns only). */
const KEYS_SQL = `
SELECT k.conrelid::int8 AS oid, k.contype AS kind, k.conname AS name,
       to_json(ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)) AS columns,
       f.relname AS references,
       to_json(ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)) AS ref_columns
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid
WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'f')
UNION ALL
SELECT i.indrelid::int8, 'i', ic.relname,
       to_json(ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(n, o)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n ORDER BY u.o)),
       NULL, NULL
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL AND i.indexprs IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)`;

/** The server's major and minor as one number (140011, 180004): some translations depend on it. */
const VERSION_SQL = "SELECT current_setting('server_version_num') AS version";

function timestampFormat(type: string, comment: string | null): TimestampFormat | undefined {
  if (!type.startsWith('timestamp')) return undefined;
  const m = /sqlite-format=(iso|sqlite)\b/.exec(comment ?? '');
  return m ? (m[1] as TimestampFormat) : 'sqlite';
}

/** One query of a procedure written once for synchronous and asynchronous clients (see drive.ts). */
export interface CatalogQuery {
  text: string;
  values: unknown[];
}

/** The catalog's queries, one after the other (a single connection must not run them concurrently). */
export function* readCatalogSteps(schema: string): Generator<CatalogQuery, SchemaCatalog, { rows: unknown[] }> {
  const tables = yield { text: TABLES_SQL, values: [schema] };
  const columns = yield { text: COLUMNS_SQL, values: [schema] };
  const keys = yield { text: KEYS_SQL, values: [schema] };
  const version = yield { text: VERSION_SQL, values: [] };
  const rowids = yield { text: ROWID_COLUMNS_SQL, values: [schema] };
  return buildCatalog(schema, tables.rows, columns.rows, keys.rows, version.rows, rowids.rows);
}

export async function loadCatalog(client: CatalogClient, schema: string): Promise<SchemaCatalog> {
  return driveAsync(readCatalogSteps(schema), (q) => client.query(q.text, q.values));
}

/** loadCatalog for a client that answers synchronously (the PostgreSQL backend's worker bridge). */
export function loadCatalogSync(client: { query(text: string, values?: unknown[]): { rows: unknown[] } }, schema: string): SchemaCatalog {
  return driveSync(readCatalogSteps(schema), (q) => client.query(q.text, q.values));
}

function buildCatalog(schema: string, tableRows: unknown[], columnRows: unknown[], keyRows: unknown[], versionRows: unknown[], rowidRows: unknown[]): SchemaCatalog {
  const byOid = new Map<string, TableInfo>();
  const catalog: SchemaCatalog = { schema, tables: new Map(), views: new Set() };
  const version = Number((versionRows[0] as { version?: unknown } | undefined)?.version);
  if (Number.isInteger(version) && version > 0) catalog.serverVersionNum = version;
  const views = new Map<string, ViewInfo>();
  for (const t of tableRows as TableRow[]) {
    if (t.kind === 'v' || t.kind === 'm') {
      catalog.views!.add(String(t.name).toLowerCase());
      views.set(String(t.oid), { name: t.name, definition: t.definition ?? '', columns: [] });
      continue;
    }
    const table: TableInfo = { name: t.name, oid: Number(t.oid), columns: [], primaryKey: [], uniqueKeys: [], foreignKeys: [] };
    byOid.set(String(t.oid), table);
    catalog.tables.set(String(t.name).toLowerCase(), table);
  }
  for (const r of rowidRows as Array<{ oid: string; rowid: string; others: boolean | string }>) {
    const table = byOid.get(String(r.oid));
    if (!table) continue;
    table.rowid = r.rowid;
    if (r.others === true || r.others === 't') table.rowidOtherTriggers = true;
    if (r.rowid === ROWID_COLUMN) table.rowidHidden = true;
  }
  for (const c of columnRows as ColumnRow[]) {
    const view = views.get(String(c.oid));
    const table = byOid.get(String(c.oid));
    if (view) view.columns.push({ name: c.name, type: c.type, notNull: false, default: null, position: Number(c.position) });
    if (!table || (table.rowidHidden && c.name === ROWID_COLUMN)) continue;
    // A column declared without a type (created as varchar, see NO_AFFINITY_TYPE) is text with no affinity.
    const untyped = c.type === NO_AFFINITY_TYPE;
    const column: ColumnInfo = { name: c.name, type: untyped ? 'text' : c.type, notNull: c.not_null === true || (c.not_null as unknown) === 't' || (c.not_null as unknown) === 1, default: c.dflt ?? null, position: Number(c.position) };
    const format = timestampFormat(c.type, c.comment);
    if (format) column.timestampFormat = format;
    if (untyped) column.noAffinity = true;
    table.columns.push(column);
  }
  if (views.size > 0) catalog.viewInfo = new Map([...views.values()].map((v) => [v.name.toLowerCase(), v]));
  for (const k of keyRows as KeyRow[]) {
    const table = byOid.get(String(k.oid));
    if (!table) continue;
    const cols = names(k.columns);
    if (table.rowidHidden && cols.includes(ROWID_COLUMN)) continue; // the hidden rowid's own index
    if (k.kind === 'p') table.primaryKey = cols;
    else if (k.kind === 'f') table.foreignKeys.push({ columns: cols, references: k.references ?? '', referencedColumns: names(k.ref_columns) });
    else if (!table.uniqueKeys.some((u) => u.join('\0') === cols.join('\0'))) table.uniqueKeys.push(cols);
  }
  return catalog;
}
