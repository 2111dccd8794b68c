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

/**
 * Waits until the mirror has finished everything enqueued so far. A slow mirror (a loaded machine)
 * is waited for; one that finishes nothing for `stallMs` is stuck, and fails the test.
 */
export async function settled(db, stallMs = 30000) {
  await new Promise((resolve) => setImmediate(resolve));
  let depth = db.shadowStats().queueDepth;
  let stalledSince = Date.now();
  while (depth > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = db.shadowStats().queueDepth;
    if (now < depth) stalledSince = Date.now();
    else if (Date.now() - stalledSince > stallMs) throw new Error(`the mirror finished nothing in ${stallMs} ms: ${JSON.stringify(db.shadowStats())}`);
    depth = now;
  }
}

/** Closes the database (the mirror drains, the log is flushed) and returns the log's records. */
export function closeAndRead(db, log) {
  if (db.open) db.close();
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
