// Raw better-sqlite3 against the facade in sqlite mode, on the registry's statements.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Database from 'swarm-registry-adapter';
import { compare } from './lib.mjs';

const DDL = `CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, path TEXT NOT NULL,
  capabilities JSON, memory_mb INTEGER DEFAULT 128, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE(name, version));
  CREATE TABLE vm_assignments (vm_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, assigned_at TEXT NOT NULL, status TEXT DEFAULT 'running', heartbeat_at TEXT);`;

function setup(db) {
  db.exec(DDL);
  const insert = db.prepare('INSERT INTO agents (id, name, version, path, capabilities) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) insert.run(`agent-${i}`, `agent-${i % 100}`, `1.${Math.floor(i / 100)}.0`, `/opt/agents/${i}`, '{"tools":["git"]}');
  })();
  return {
    get: db.prepare('SELECT * FROM agents WHERE id = ?'),
    all: db.prepare('SELECT id, name, version FROM agents WHERE name = ? ORDER BY version'),
    run: db.prepare("UPDATE agents SET memory_mb = ? WHERE id = ?"),
    insert: db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, '2026-01-01 00:00:00')"),
    clear: db.prepare('DELETE FROM vm_assignments'),
    tx: null,
    db,
  };
}

export async function benchSqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-'));
  const raw = setup(new BetterSqlite3(path.join(dir, 'raw.db')));
  const facade = setup(new Database(path.join(dir, 'facade.db'), { backend: 'sqlite' }));
  for (const s of [raw, facade]) {
    s.db.pragma('journal_mode = WAL');
    s.db.pragma('synchronous = NORMAL'); // no fsync per commit: the disk's noise is not what is measured
    s.tx = s.db.transaction((base) => {
      for (let i = 0; i < 100; i++) s.insert.run(`vm-${base}-${i}`, 'T');
    });
  }
  const pick = (s) => ({
    'get (by primary key)': (i) => s.get.get(`agent-${i % 1000}`),
    'all (10 rows)': (i) => s.all.all(`agent-${i % 100}`),
    'run (update one row)': (i) => s.run.run(i, `agent-${i % 1000}`),
    'transaction (100 inserts)': (i) => {
      s.tx(i);
      if (i % 50 === 49) s.clear.run();
    },
  });
  const rows = [];
  for (const op of Object.keys(pick(raw))) {
    const ops = op.startsWith('transaction') ? 200 : 5000;
    const results = await compare({ 'better-sqlite3': pick(raw)[op], 'facade sqlite': pick(facade)[op] }, { ops, rounds: 41 });
    rows.push({ name: op, results });
  }
  raw.db.close();
  facade.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows;
}
