/**
 * `"<schema>"._registry_meta(key, value)`: what SQLite keeps in its file header and PostgreSQL has
 * no place for (PRAGMA user_version). The schema creator may create it with this DDL; a
 * `PRAGMA user_version = n` creates it when missing, and reading works without it (0).
 */
import { quoteIdent } from './context';

export const REGISTRY_META_TABLE = '_registry_meta';

export function registryMetaDdl(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.${REGISTRY_META_TABLE} (key text COLLATE "C" PRIMARY KEY, value text)`;
}
