/** The SQLite type name shown for a PostgreSQL column type (format_type), as the registry declared it. */
export const SQLITE_TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ['bigint', 'INTEGER'],
  ['integer', 'INTEGER'],
  ['text', 'TEXT'],
  ['jsonb', 'JSON'],
  ['json', 'JSON'],
  ['boolean', 'BOOLEAN'],
  ['bytea', 'BLOB'],
  ['timestamp with time zone', 'TIMESTAMP'],
  ['double precision', 'REAL'],
  ['date', 'DATE'],
  // A column declared without a type (created as varchar, see NO_AFFINITY_TYPE): SQLite shows no type.
  ['character varying', ''],
]);

export function declaredType(pgType: string): string {
  return SQLITE_TYPE_NAMES.get(pgType) ?? pgType.toUpperCase();
}
