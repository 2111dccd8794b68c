/** `swarm-registry init`: checks and backs up the registry file, then creates the PostgreSQL schema (docs/cli.md, init). */
import { createRegistrySchema, REGISTRY_TABLES } from '../../schema';
import { backupRegistry, type Backup } from './backup';
import { requireRegistryFile } from '../core';
import { connectPostgres } from '../postgres';
import { asMigrationError } from '../results';

export interface InitOptions {
  registryDb: string;
  databaseUrl: string;
  pgSchema: string;
  /** Create the schema without a backup: an engine that starts on PostgreSQL with no SQLite registry. */
  noBackup?: boolean;
}

export interface InitResult {
  schema: string;
  tables: readonly string[];
  /** Where the backup of REGISTRY_DB is, or null with `noBackup`. */
  backup: string | null;
  /** True when REGISTRY_DB had not changed since the last backup, which was kept instead of a copy. */
  backupReused: boolean;
}

export async function runInit(options: InitOptions): Promise<InitResult> {
  // A mistyped REGISTRY_DB must not pass for "nothing to back up" and go on to create the schema.
  if (!options.noBackup) requireRegistryFile(options.registryDb, ' or run `swarm-registry init --no-backup` for an engine that starts on PostgreSQL without a SQLite registry');
  const client = await connectPostgres(options.databaseUrl); // an unreachable server changes nothing
  try {
    let backup: Backup | null = null;
    if (!options.noBackup) backup = await backupRegistry(options.registryDb);
    await createRegistrySchema(client, options.pgSchema);
    return { schema: options.pgSchema, tables: REGISTRY_TABLES, backup: backup?.path ?? null, backupReused: backup?.reused ?? false };
  } catch (error) {
    throw asMigrationError(error, options.databaseUrl, `Creating schema ${options.pgSchema}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
