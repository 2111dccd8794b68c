// A closed shadow-mode database hands its mirror thread (and a postgres client its worker thread)
// to the next database the process opens. Nothing of one database may reach the next: each mirrors
// into its own schema and file, counts only its own statements and logs only its own divergences,
// also when the next one mirrors the other way (SQLite primary, then PostgreSQL primary).
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import Database from 'swarm-registry-adapter';
import { tempDir, settled } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

test('databases opened one after another, alternating the primary, each mirror only their own writes', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const sides = ['sqlite', 'postgres', 'sqlite', 'postgres'];
  for (const [i, primary] of sides.entries()) {
    const file = path.join(dir, `r${i}.db`);
    const log = path.join(dir, `d${i}.jsonl`);
    const db = new Database(file, { backend: 'shadow', primary, databaseUrl: url, pgSchema: `reuse_${i}`, divergenceLog: log });
    db.exec('CREATE TABLE agents (id TEXT PRIMARY KEY, n INTEGER)');
    const insert = db.prepare('INSERT INTO agents (id, n) VALUES (?, ?)');
    for (let r = 0; r <= i; r++) insert.run(`db${i}-row${r}`, r);
    t.is(db.prepare('SELECT count(*) FROM agents').pluck().get(), i + 1);
    await settled(db);
    const stats = db.shadowStats();
    t.is(stats.compared, i + 3, `database ${i} counts its own comparisons only (${i + 1} inserts, the count, the CREATE)`);
    t.is(stats.mirrored, i + 2, `database ${i} counts its own writes only (CREATE and ${i + 1} inserts)`);
    const closing = Date.now();
    db.close();
    t.log(`database ${i} (${primary} primary) closed in ${Date.now() - closing} ms`);
    // The secondary of each holds its rows, and only its rows.
    const inPg = await withClient(url, (c) => c.query(`SELECT id FROM reuse_${i}.agents ORDER BY id`));
    t.deepEqual(inPg.rows.map((r) => r.id), Array.from({ length: i + 1 }, (_, r) => `db${i}-row${r}`));
    const sqlite = new Database(file, { backend: 'sqlite' });
    t.deepEqual(sqlite.prepare('SELECT id FROM agents ORDER BY id').pluck().all(), inPg.rows.map((r) => r.id));
    sqlite.close();
    t.false(fs.existsSync(log) && fs.readFileSync(log, 'utf8').trim() !== '', `database ${i} logged nothing`);
  }
});
