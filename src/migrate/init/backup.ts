/**
 * The online backup `init` takes of the registry before anything else (runbook step 1): checked
 * first (a damaged file is refused, not copied as if it were good), and kept once: a rerun of
 * `init` on an unchanged registry reuses the last backup instead of piling up identical copies.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3 } from '../core';
import { MigrationError } from '../results';

export interface Backup {
  /** Where the backup is. */
  path: string;
  /** True when the registry had not changed since that backup, which is reused. */
  reused: boolean;
}

/** Copies `registryDb` (a live database: better-sqlite3's online backup) next to it. */
export async function backupRegistry(registryDb: string, now = new Date()): Promise<Backup> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const destination = `${registryDb}.backup-${stamp}`;
  if (fs.existsSync(destination)) throw new MigrationError(`The backup ${destination} already exists: wait a second and run init again.`);
  const Database = loadBetterSqlite3();
  let db: BetterSqlite3.Database;
  try {
    db = new Database(registryDb, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw damaged(registryDb, (error as Error).message, error);
  }
  try {
    checkHealth(db, registryDb);
    await db.backup(destination);
  } catch (error) {
    fs.rmSync(destination, { force: true });
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`Cannot back up ${registryDb} to ${destination} (${(error as Error).message}): check the disk space and permissions of its folder.`, 2, { cause: error });
  } finally {
    db.close();
  }
  const previous = latestBackup(registryDb, destination);
  if (previous && fileHash(previous) === fileHash(destination)) {
    fs.rmSync(destination, { force: true });
    return { path: previous, reused: true };
  }
  return { path: destination, reused: false };
}

/** SQLite's own quick check: a file it finds damaged is refused before anything is changed. */
function checkHealth(db: BetterSqlite3.Database, registryDb: string): void {
  let verdict: unknown;
  try {
    verdict = db.pragma('quick_check', { simple: true });
  } catch (error) {
    throw damaged(registryDb, (error as Error).message, error);
  }
  if (verdict !== 'ok') throw damaged(registryDb, `quick_check: ${String(verdict)}`);
}

function damaged(registryDb: string, reason: string, cause?: unknown): MigrationError {
  return new MigrationError(
    `REGISTRY_DB=${registryDb} is not a healthy SQLite database (${reason}): restore it from a backup (or repair it with the sqlite3 tool's .recover) before the migration.`,
    2,
    cause === undefined ? undefined : { cause },
  );
}

/** The newest earlier backup of `registryDb` (names sort by their timestamp), if any. */
function latestBackup(registryDb: string, except: string): string | null {
  const folder = path.dirname(registryDb);
  const prefix = `${path.basename(registryDb)}.backup-`;
  const names = fs.readdirSync(folder).filter((name) => name.startsWith(prefix) && path.join(folder, name) !== except).sort();
  return names.length ? path.join(folder, names[names.length - 1]!) : null;
}

function fileHash(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}
