/**
 * The PostgreSQL DDL of the registry (docs/api.md, Column types), rendered from the SQLite tables with the type
 * mapping of type-mapping.ts: JSON → JSONB, BOOLEAN → BOOLEAN, BLOB → BYTEA, TIMESTAMP →
 * TIMESTAMPTZ (DEFAULT CURRENT_TIMESTAMP → DEFAULT NOW(), to the second as SQLite stores it), INTEGER → BIGINT, TEXT → TEXT COLLATE "C".
 * Foreign keys are DEFERRABLE INITIALLY IMMEDIATE: checked per statement as SQLite does, and
 * deferrable so that INSERT OR REPLACE can replace a parent row that still has children.
 */
import type { PgColumnType } from './catalog';
import { hiddenRowidColumnDdl, ROWID_COLUMN, rowidSetupDdl } from './rowid';
import { collationFor, mapDeclaredType, mapDefault } from './type-mapping';
import type { RegistryColumn, RegistryTable } from './registry-tables';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a schema (or other) name and returns it double-quoted for SQL. */
export function quoteSchema(schema: string): string {
  if (!IDENTIFIER.test(schema) || Buffer.byteLength(schema) > 63) {
    throw new TypeError(
      `Invalid PostgreSQL schema name "${schema}": use letters, digits and underscores, ` +
        'starting with a letter or underscore, at most 63 characters (e.g. engine_registry).',
    );
  }
  return `"${schema}"`;
}

/** How a catalog type name is written in DDL. */
function ddlType(type: PgColumnType): string {
  if (type === 'timestamp with time zone') return 'TIMESTAMPTZ';
  if (type === 'timestamp without time zone') return 'TIMESTAMP';
  return type.toUpperCase();
}

function columnDdl(column: RegistryColumn, schema: string): string {
  const type = mapDeclaredType(column.declaredType);
  let sql = `${column.name} ${ddlType(type)}${collationFor(type)}`;
  if (column.primaryKey) sql += ' PRIMARY KEY';
  if (column.notNull) sql += ' NOT NULL';
  if (column.default !== undefined) sql += ` DEFAULT ${mapDefault(column.default, type)}`;
  if (column.unique) sql += ' UNIQUE';
  if (column.references) {
    sql += ` REFERENCES ${schema}.${column.references.table} (${column.references.column}) DEFERRABLE INITIALLY IMMEDIATE`;
  }
  return sql;
}

/**
 * `CREATE TABLE IF NOT EXISTS` for one table in `schema` (already quoted), with the hidden rowid
 * column (the registry's keys are text), then what assigns the rowid (src/schema/rowid.ts).
 */
export function createTableDdl(table: RegistryTable, quotedSchema: string): string[] {
  const lines = table.columns.map((c) => columnDdl(c, quotedSchema));
  for (const unique of table.uniques) lines.push(`UNIQUE (${unique.join(', ')})`);
  lines.push(hiddenRowidColumnDdl());
  const schema = quotedSchema.slice(1, -1);
  return [
    `CREATE TABLE IF NOT EXISTS ${quotedSchema}.${table.name} (\n  ${lines.join(',\n  ')}\n)`,
    rowidSetupDdl(schema, table.name, ROWID_COLUMN),
  ];
}
