/**
 * The environment the migration commands read (docs/runbook.md, Configuration): REGISTRY_DB, DATABASE_URL and
 * REGISTRY_PG_SCHEMA, validated by the adapter's own `planOpen` so that a bad value gets the same
 * message everywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigurationError, DEFAULT_REGISTRY_DB, planOpen } from '../../adapter';
import { MigrationError } from '../results';

type Env = Record<string, string | undefined>;

export interface MigrationSettings {
  /** The registry's SQLite file, resolved. */
  registryDb: string;
  databaseUrl: string;
  pgSchema: string;
}

/** Reads the settings; `needsPostgres` false (e.g. `init --print`) tolerates a missing DATABASE_URL. */
export function readSettings(env: Env = process.env, needsPostgres = true): MigrationSettings {
  const raw = env.REGISTRY_DB || DEFAULT_REGISTRY_DB;
  if (raw === '*') {
    throw new MigrationError('REGISTRY_DB="*" names no file: set REGISTRY_DB to the path of the registry\'s SQLite file.');
  }
  const registryDb = path.resolve(raw);
  if (needsPostgres && !env.DATABASE_URL) {
    throw new MigrationError('DATABASE_URL is not set: this command connects to PostgreSQL. Set DATABASE_URL=postgresql://user:password@host:5432/db, or pass --database-url.', 2);
  }
  try {
    const backend = needsPostgres || env.DATABASE_URL ? 'postgres' : 'sqlite';
    const plan = planOpen(registryDb, { backend, sqliteRetired: false }, env);
    if (!plan.managed) throw new Error('unreachable: an explicit backend is always managed');
    return { registryDb, databaseUrl: plan.databaseUrl ?? '', pgSchema: plan.pgSchema };
  } catch (error) {
    // A bad setting means the command could not do its job: exit 2, as for bad usage.
    if (error instanceof ConfigurationError) throw new MigrationError(error.message, 2, { cause: error });
    throw error;
  }
}

/** Refuses a REGISTRY_DB that is not an existing regular file, before anything is changed. */
export function requireRegistryFile(registryDb: string, otherwise = ''): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(registryDb);
  } catch {
    throw new MigrationError(`REGISTRY_DB=${registryDb} does not exist: point REGISTRY_DB at the registry's SQLite file${otherwise}.`, 2);
  }
  if (!stat.isFile()) throw new MigrationError(`REGISTRY_DB=${registryDb} is not a file: point REGISTRY_DB at the registry's SQLite file${otherwise}.`, 2);
}
