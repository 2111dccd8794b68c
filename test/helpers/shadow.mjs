// Helpers of the shadow-mode tests: open a registry in shadow mode on a fresh schema, wait for the
// mirror, read the divergence log, and reach PostgreSQL behind the adapter's back.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import Database from 'swarm-registry-adapter';
import { tempDir } from './backends.mjs';
import { createTestDatabase } from './pg.mjs';

let schemas = 0;

export async function openShadow(t, options = {}, { url } = {}) {
  const dir = tempDir(t);
  const databaseUrl = url ?? options.databaseUrl ?? (await createTestDatabase(t)).url;
  const pgSchema = `shadow_${process.pid}_${++schemas}`;
  const log = path.join(dir, 'divergence.jsonl');
  const db = new Database(path.join(dir, 'registry.db'), { backend: 'shadow', primary: 'sqlite', databaseUrl, pgSchema, divergenceLog: log, ...options });
  t.teardown(() => db.open && db.close());
  // The tests measure the mirror, not the disk's fsync.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  t.teardown(() => client.end());
  await client.query(`SET search_path TO ${pgSchema}`);
  return { db, log, pg: client, pgSchema, databaseUrl, dir };
}

export { settled } from './backends.mjs';

/** Closes the database (the mirror drains, the log is flushed) and returns the log's records. */
export function closeAndRead(db, log) {
  if (db.open) db.close();
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
