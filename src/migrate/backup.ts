/** The online backup `init` takes of the registry before anything else (docs/runbook.md, step 1). */
import fs from 'node:fs';
import { loadBetterSqlite3 } from './load-sqlite';
import { MigrationError } from './errors';

/** Copies `registryDb` (a live database: better-sqlite3's online backup) next to it; returns the path. */
export async function backupRegistry(registryDb: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const destination = `${registryDb}.backup-${stamp}`;
  if (fs.existsSync(destination)) throw new MigrationError(`The backup ${destination} already exists: wait a second and run init again.`);
  const Database = loadBetterSqlite3();
  const db = new Database(registryDb, { readonly: true, fileMustExist: true });
  try {
    await db.backup(destination);
  } catch (error) {
    fs.rmSync(destination, { force: true });
    throw new MigrationError(`Cannot back up ${registryDb} to ${destination} (${(error as Error).message}): check the disk space and permissions of its folder.`, 2, { cause: error });
  } finally {
    db.close();
  }
  return destination;
}
