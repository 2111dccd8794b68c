/**
 * `CREATE SCHEMA IF NOT EXISTS` (and `CREATE TABLE IF NOT EXISTS`) are not safe against another
 * session creating the same object at the same moment: PostgreSQL looks for it, then inserts its
 * catalog row, and the session that loses the race fails with a unique violation on the catalog
 * (pg_namespace_nspname_index, pg_type_typname_nsp_index, pg_class_relname_nsp_index) or with
 * duplicate_schema / duplicate_table. That failure means the object exists, which is all the
 * statement asked for: callers that create on first use (every connection, the shadow mirror's
 * applier and its progress writer, several engine processes) treat it as success.
 */
export function createdConcurrently(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '42P06' || code === '42P07') return true;
  if (code !== '23505') return false;
  return /pg_namespace_nspname_index|pg_type_typname_nsp_index|pg_class_relname_nsp_index/.test(`${String(constraint ?? '')} ${String(message ?? '')}`);
}
