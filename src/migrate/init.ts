/** `swarm-registry init`: backs up the registry file, then creates the PostgreSQL schema (docs/cli.md, init). */
import fs from 'node:fs';
import { createRegistrySchema, REGISTRY_TABLES } from '../schema/registry';
import { backupRegistry } from './backup';
import { asMigrationError } from './errors';
import { connectPostgres } from './pg-target';

export interface InitOptions {
  registryDb: string;
  databaseUrl: string;
  pgSchema: string;
}

export interface InitResult {
  schema: string;
  tables: readonly string[];
  /** Where the backup of REGISTRY_DB went, or null when there was no such file. */
  backup: string | null;
}

export async function runInit(options: InitOptions): Promise<InitResult> {
  const client = await connectPostgres(options.databaseUrl); // an unreachable server changes nothing
  try {
    const backup = fs.existsSync(options.registryDb) ? await backupRegistry(options.registryDb) : null;
    await createRegistrySchema(client, options.pgSchema);
    return { schema: options.pgSchema, tables: REGISTRY_TABLES, backup };
  } catch (error) {
    throw asMigrationError(error, options.databaseUrl, `Creating schema ${options.pgSchema}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
