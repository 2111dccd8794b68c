// Two builds of the facade side by side (postgres mode, one process, alternating rounds, medians):
// this checkout's dist/ against another checkout's, to measure what a change costs per call.
//   git worktree add /tmp/base <commit> && (cd /tmp/base && npm ci && npm run build)
//   npm run build && node bench/builds.mjs /tmp/base        (ROUNDS=31 for a steadier median)
// PostgreSQL is DATABASE_URL when set, else an embedded server started here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compare } from './lib.mjs';
import { startEmbeddedPostgres } from '../test/helpers/embedded-server.mjs';

const other = process.argv[2];
if (!other || !fs.existsSync(path.join(other, 'dist', 'index.js'))) {
  console.error('Usage: node bench/builds.mjs <other checkout, built (dist/index.js)>');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builds = { other: require(path.resolve(other, 'dist', 'index.js')), this: require(path.join(here, 'dist', 'index.js')) };
const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres();
const url = process.env.DATABASE_URL ?? embedded.url;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-builds-'));
const DDL = `CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, path TEXT NOT NULL,
  capabilities JSON, memory_mb INTEGER DEFAULT 128, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE(name, version));
  CREATE TABLE vm_assignments (vm_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, assigned_at TEXT NOT NULL, status TEXT DEFAULT 'running', heartbeat_at TEXT);`;

const ops = {};
const open = [];
for (const [tag, mod] of Object.entries(builds)) {
  const Database = mod.default ?? mod;
  const db = new Database(path.join(dir, `${tag}.db`), { backend: 'postgres', databaseUrl: url, pgSchema: `bench_builds_${tag}_${process.pid}` });
  open.push(db);
  db.exec(`DROP TABLE IF EXISTS vm_assignments; DROP TABLE IF EXISTS agents; ${DDL}`);
  const insertAgent = db.prepare('INSERT INTO agents (id, name, version, path, capabilities) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) insertAgent.run(`agent-${i}`, `agent-${i % 100}`, `1.${Math.floor(i / 100)}.0`, `/opt/agents/${i}`, '{"tools":["git"]}');
  })();
  const get = db.prepare('SELECT * FROM agents WHERE id = ?');
  const all = db.prepare('SELECT id, name, version FROM agents WHERE name = ? ORDER BY version');
  const run = db.prepare('UPDATE agents SET memory_mb = ? WHERE id = ?');
  const insert = db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, '2026-01-01 00:00:00')");
  const clear = db.prepare('DELETE FROM vm_assignments WHERE ticket_id = ?');
  const tx = db.transaction((base) => {
    for (let k = 0; k < 10; k++) insert.run(`${tag}-${base}-${k}`, tag);
  });
  let seq = 0;
  ops[tag] = {
    'get (by primary key)': (i) => get.get(`agent-${i % 1000}`),
    'all (10 rows)': (i) => all.all(`agent-${i % 100}`),
    'run (update one row)': (i) => run.run(i, `agent-${i % 1000}`),
    'transaction (10 inserts)': (i) => {
      tx(seq++);
      if (i % 50 === 49) clear.run(tag);
    },
  };
}
const rounds = Number(process.env.ROUNDS ?? 15);
console.log(`\nThis build against ${other} (postgres mode, median of ${rounds} alternating rounds)`);
console.log('operation | other µs/op | this µs/op | this / other');
for (const op of Object.keys(ops.this)) {
  const r = await compare({ other: ops.other[op], this: ops.this[op] }, { rounds, ops: op.startsWith('transaction') ? 200 : 2000 });
  console.log(`${op} | ${r.other.toFixed(1)} | ${r.this.toFixed(1)} | ${(r.this / r.other).toFixed(3)}×`);
}
for (const db of open) db.close();
await embedded?.stop();
fs.rmSync(dir, { recursive: true, force: true });
