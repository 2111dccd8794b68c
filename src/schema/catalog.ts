/**
 * What the translator and the value shaper know about the PostgreSQL schema: read from the
 * catalog at open (and again after DDL), never hard-coded, so the engine's own tables work too.
 */

/** PostgreSQL column types the registry uses, by their catalog name (`format_type`). */
export type PgColumnType =
  | 'text'
  | 'bigint'
  | 'integer'
  | 'smallint'
  | 'double precision'
  | 'real'
  | 'numeric'
  | 'boolean'
  | 'jsonb'
  | 'json'
  | 'bytea'
  | 'timestamp with time zone'
  | 'timestamp without time zone'
  | 'date'
  | (string & {});

/**
 * How a TIMESTAMPTZ column's values are shown to the caller: the text it held in SQLite.
 * `sqlite` is `YYYY-MM-DD HH:MM:SS` (CURRENT_TIMESTAMP), `iso` is `YYYY-MM-DDTHH:MM:SS.sssZ`
 * (`Date.prototype.toISOString`). Learnt per column from the data and kept with the schema.
 */
export type TimestampFormat = 'sqlite' | 'iso';

export interface ColumnInfo {
  name: string;
  type: PgColumnType;
  notNull: boolean;
  /** The column default as PostgreSQL prints it, or null. */
  default: string | null;
  /** 1-based position (attnum), as in RowDescription's columnID. */
  position: number;
  /** For timestamp columns: the text format SQLite held. */
  timestampFormat?: TimestampFormat;
  /**
   * Declared without a type in SQLite: no affinity there (a number compared with its text stays a
   * number), text here (`type` is 'text'). Such a column is created as `character varying`, which
   * is how the catalog tells it from a TEXT column.
   */
  noAffinity?: boolean;
}

export interface TableInfo {
  name: string;
  /** pg_class oid, as in RowDescription's tableID. */
  oid: number;
  columns: ColumnInfo[];
  /** Primary key column names, in key order (empty when none). */
  primaryKey: string[];
  /** Every UNIQUE constraint or unique index (the primary key excluded), each as its column names. */
  uniqueKeys: string[][];
  foreignKeys: Array<{ columns: string[]; references: string; referencedColumns: string[] }>;
  /**
   * The column that holds SQLite's rowid (src/schema/rowid.ts): the INTEGER PRIMARY KEY, or the
   * hidden `_rowid` (then `rowidHidden`, and it is not among `columns`). Absent for a table
   * created without one (before the rowid was kept, or by hand).
   */
  rowid?: string;
  rowidHidden?: boolean;
  /**
   * The table has triggers or rules besides the rowid's: an INSERT into it may write other rows,
   * so the next rowid is always read from the table (never carried from the previous insert).
   */
  rowidOtherTriggers?: boolean;
}

export interface ViewInfo {
  name: string;
  /** pg_get_viewdef: the view's SELECT. */
  definition: string;
  /** Its columns in order, with PostgreSQL's types. */
  columns: ColumnInfo[];
}

export interface SchemaCatalog {
  /** The PostgreSQL schema all unqualified names resolve to (REGISTRY_PG_SCHEMA). */
  schema: string;
  /** Tables by lower-case name. */
  tables: Map<string, TableInfo>;
  /** Lower-case names of the schema's views (SQLite refuses writes through them). */
  views?: Set<string>;
  /**
   * The schema's views by lower-case name: their definition as PostgreSQL prints it and their
   * columns (PostgreSQL's types), from which the translator learns which view columns are a table's
   * column, with that column's type and affinity (an expression's column has none in SQLite).
   */
  viewInfo?: Map<string, ViewInfo>;
  /**
   * server_version_num of the server the catalog was read from (160004 for 16.4). Undefined for a
   * catalog built without a server: translations then target the oldest supported major, 14.
   */
  serverVersionNum?: number;
}

export function findTable(catalog: SchemaCatalog, name: string): TableInfo | undefined {
  return catalog.tables.get(name.toLowerCase());
}

/**
 * A column of the table by name (case-insensitive). The hidden rowid column (`_rowid_`: never
 * among `columns`, so `*` and PRAGMA leave it out) is found by its name too, as SQLite finds the
 * rowid by `_rowid_`.
 */
export function findColumn(table: TableInfo, name: string): ColumnInfo | undefined {
  const lower = name.toLowerCase();
  const found = table.columns.find((c) => c.name.toLowerCase() === lower);
  if (found || !table.rowidHidden || lower !== table.rowid?.toLowerCase()) return found;
  return hiddenRowidColumn(table);
}

const hiddenRowids = new WeakMap<TableInfo, ColumnInfo>();

/** The hidden rowid column as a ColumnInfo (a bigint that is never NULL; no position among the visible columns). */
export function hiddenRowidColumn(table: TableInfo): ColumnInfo {
  let column = hiddenRowids.get(table);
  if (!column) hiddenRowids.set(table, (column = { name: table.rowid!, type: 'bigint', notNull: true, default: null, position: 0 }));
  return column;
}

/** SQLite's names of the rowid (`rowid`, `oid`, `_rowid_`), when no column of the table has them. */
export const ROWID_NAMES: ReadonlySet<string> = new Set(['rowid', 'oid', '_rowid_']);

/** The column a rowid name stands for in the table: its INTEGER PRIMARY KEY, or the hidden rowid. */
export function rowidColumnNamed(table: TableInfo, name: string): ColumnInfo | undefined {
  const lower = name.toLowerCase();
  if (!ROWID_NAMES.has(lower) || !table.rowid || table.columns.some((c) => c.name.toLowerCase() === lower)) return undefined;
  return table.rowidHidden ? hiddenRowidColumn(table) : findColumn(table, table.rowid);
}
