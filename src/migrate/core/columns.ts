/**
 * The registry's tables as the migration tools see them: each column's kind (which decides how a
 * value is copied, checked and compared), its key and references, and which columns hold secrets.
 */
import { defaultSecretColumns } from '../../policy';
import { mapDeclaredType, REGISTRY_TABLE_DEFS, type RegistryTable, ROWID_COLUMN } from '../../schema';

export type ColumnKind = 'text' | 'integer' | 'boolean' | 'json' | 'timestamp' | 'blob';

export interface MigrationColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  readonly references?: { readonly table: string; readonly column: string };
  /** Its values are never printed: a hash stands in for them. */
  readonly secret: boolean;
}

export interface MigrationTable {
  readonly name: string;
  /** The single-column text primary key every registry table has. */
  readonly key: string;
  readonly columns: readonly MigrationColumn[];
}

/** The columns whose values are replaced by a hash wherever they would appear outside the databases (logs, reports, samples). */
export const SECRET_COLUMNS: ReadonlySet<string> = defaultSecretColumns.qualified;

function kindOf(table: string, column: string, declaredType: string): ColumnKind {
  const pgType = mapDeclaredType(declaredType);
  switch (pgType) {
    case 'text':
      return 'text';
    case 'bigint':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'jsonb':
      return 'json';
    case 'timestamp with time zone':
      return 'timestamp';
    case 'bytea':
      return 'blob';
    default:
      throw new Error(`${table}.${column}: the migration tools do not handle PostgreSQL type ${pgType}`);
  }
}

function migrationTable(table: RegistryTable): MigrationTable {
  const keys = table.columns.filter((c) => c.primaryKey);
  if (keys.length !== 1 || kindOf(table.name, keys[0]!.name, keys[0]!.declaredType) !== 'text') {
    throw new Error(`${table.name}: the migration tools need a single-column TEXT primary key`);
  }
  return {
    name: table.name,
    key: keys[0]!.name,
    columns: [
      ...table.columns.map((c) => ({
      name: c.name,
      kind: kindOf(table.name, c.name, c.declaredType),
      nullable: !c.notNull && !c.primaryKey,
      ...(c.references ? { references: c.references } : {}),
      secret: SECRET_COLUMNS.has(`${table.name}.${c.name}`),
    })),
      // SQLite's rowid, under the name both sides know it by: copied, compared and repaired with the row.
      { name: ROWID_COLUMN, kind: 'integer', nullable: false, secret: false },
    ],
  };
}

/** The 8 tables, parents before children. */
export const MIGRATION_TABLES: readonly MigrationTable[] = REGISTRY_TABLE_DEFS.map(migrationTable);

export function findMigrationTable(name: string): MigrationTable {
  const table = MIGRATION_TABLES.find((t) => t.name === name);
  if (!table) throw new Error(`${name} is not a registry table`);
  return table;
}

/** Double-quoted identifier (registry names are plain, but quoting keeps keywords like `type` safe). */
export { quoteIdent as ident } from '../../policy';
