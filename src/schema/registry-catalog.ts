/**
 * The registry's schema as a SchemaCatalog built from its own table definitions, without a
 * database: what `swarm-registry translate` uses offline. The one thing it cannot know is each
 * timestamp column's text format (learnt from the data by the backfill): all are `sqlite` here.
 */
import type { ColumnInfo, SchemaCatalog, TableInfo } from './catalog';
import { DEFAULT_REGISTRY_SCHEMA } from './registry';
import { REGISTRY_TABLE_DEFS, type RegistryTable } from './registry-tables';
import { ROWID_COLUMN } from './rowid';
import { mapDeclaredType, mapDefault } from './type-mapping';

function tableInfo(table: RegistryTable, oid: number): TableInfo {
  const columns: ColumnInfo[] = table.columns.map((c, i) => {
    const type = mapDeclaredType(c.declaredType);
    const column: ColumnInfo = { name: c.name, type, notNull: c.notNull || c.primaryKey, default: c.default === undefined ? null : mapDefault(c.default, type), position: i + 1 };
    if (type.startsWith('timestamp')) column.timestampFormat = 'sqlite';
    return column;
  });
  return {
    name: table.name,
    oid,
    columns,
    primaryKey: table.columns.filter((c) => c.primaryKey).map((c) => c.name),
    uniqueKeys: [...table.columns.filter((c) => c.unique).map((c) => [c.name]), ...table.uniques],
    foreignKeys: table.columns.filter((c) => c.references).map((c) => ({ columns: [c.name], references: c.references!.table, referencedColumns: [c.references!.column] })),
    // The registry's keys are text: every table has the hidden rowid column.
    rowid: ROWID_COLUMN,
    rowidHidden: true,
  };
}

/** The 8 registry tables in `schema`, as loadCatalog would read them after `swarm-registry init`. */
export function registryCatalog(schema: string = DEFAULT_REGISTRY_SCHEMA): SchemaCatalog {
  const tables = new Map<string, TableInfo>();
  REGISTRY_TABLE_DEFS.forEach((t, i) => tables.set(t.name.toLowerCase(), tableInfo(t, i + 1)));
  return { schema, tables };
}
