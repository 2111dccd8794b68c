// Raw `pg` (pool.query, unnamed and named) against the facade in postgres mode (synchronous,
// through the worker thread) and AsyncDatabase (straight on a pool), on the same statements of
// the registry's schema. Every contender has a schema of its own, created from the same SQLite DDL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import Database, { AsyncDatabase } from 'swarm-registry-adapter';
import { compare } from './lib.mjs';

const DDL = `CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, path TEXT NOT NULL,
  capabilities JSON, memory_mb INTEGER DEFAULT 128, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE(name, version));
  CREATE TABLE vm_assignments (vm_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, assigned_at TEXT NOT NULL, status TEXT DEFAULT 'running', heartbeat_at TEXT);`;

const SQL = {
  one: 'SELECT 1',
  get: 'SELECT * FROM agents WHERE id = ?',
  all: 'SELECT id, name, version FROM agents WHERE name = ? ORDER BY version',
  run: 'UPDATE agents SET memory_mb = ? WHERE id = ?',
  insert: "INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, '2026-01-01 00:00:00')",
  clear: 'DELETE FROM vm_assignments WHERE ticket_id = ?',
};
/** The same statements as PostgreSQL's own SQL, for raw pg. */
const PG_SQL = Object.fromEntries(Object.entries(SQL).map(([k, v]) => { let n = 0; return [k, v.replace(/\?/g, () => `$${++n}`)]; }));

const TX_INSERTS = 10;

/**
 * Creates the schema through the facade (SQLite DDL → engine_registry mapping) and fills it;
 * `Facade`: another build's Database class (bench/builds.mjs), this checkout's by default.
 */
export function seed(url, schema, file, Facade = Database) {
  const db = new Facade(file, { backend: 'postgres', databaseUrl: url, pgSchema: schema });
  db.exec(`DROP TABLE IF EXISTS vm_assignments; DROP TABLE IF EXISTS agents; ${DDL}`);
  const insert = db.prepare('INSERT INTO agents (id, name, version, path, capabilities) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) insert.run(`agent-${i}`, `agent-${i % 100}`, `1.${Math.floor(i / 100)}.0`, `/opt/agents/${i}`, '{"tools":["git"]}');
  })();
  return db;
}

/** The four operations for a contender, given how it runs one statement and one transaction. */
function operations(tag, { one, get, all, run, insert, clear, transaction }) {
  let seq = 0;
  return {
    'SELECT 1': () => one(),
    'get (by primary key)': (i) => get(`agent-${i % 1000}`),
    'all (10 rows)': (i) => all(`agent-${i % 100}`),
    'run (update one row)': (i) => run(i, `agent-${i % 1000}`),
    [`transaction (${TX_INSERTS} inserts)`]: (i) => {
      const base = seq++;
      const done = transaction(base);
      if (i % 50 !== 49) return done;
      return done && typeof done.then === 'function' ? done.then(() => clear(tag)) : clear(tag);
    },
  };
}

function rawPg(pool, tag, named) {
  const q = (key, values) => pool.query(named ? { name: `bench_${key}`, text: PG_SQL[key], values } : { text: PG_SQL[key], values });
  return operations(tag, {
    one: () => q('one', []),
    get: (id) => q('get', [id]),
    all: (name) => q('all', [name]),
    run: (n, id) => q('run', [n, id]),
    clear: (t) => q('clear', [t]),
    transaction: async (base) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (let k = 0; k < TX_INSERTS; k++) {
          const values = [`${tag}-${base}-${k}`, tag];
          await client.query(named ? { name: 'bench_insert', text: PG_SQL.insert, values } : { text: PG_SQL.insert, values });
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  });
}

export function syncFacade(db, tag) {
  const s = Object.fromEntries(Object.entries(SQL).map(([k, v]) => [k, db.prepare(v)]));
  const tx = db.transaction((base) => {
    for (let k = 0; k < TX_INSERTS; k++) s.insert.run(`${tag}-${base}-${k}`, tag);
  });
  return operations(tag, {
    one: () => s.one.get(),
    get: (id) => s.get.get(id),
    all: (name) => s.all.all(name),
    run: (n, id) => s.run.run(n, id),
    clear: (t) => s.clear.run(t),
    transaction: (base) => tx(base),
  });
}

export async function asyncFacade(db, tag) {
  const s = {};
  for (const [k, v] of Object.entries(SQL)) s[k] = await db.prepare(v);
  return operations(tag, {
    one: () => s.one.get(),
    get: (id) => s.get.get(id),
    all: (name) => s.all.all(name),
    run: (n, id) => s.run.run(n, id),
    clear: (t) => s.clear.run(t),
    transaction: (base) => db.transaction(async () => {
      for (let k = 0; k < TX_INSERTS; k++) await s.insert.run(`${tag}-${base}-${k}`, tag);
    }),
  });
}

/** Returns rows for printTable, baseline 'pg named' (a prepared statement: the round trip's limit). `url` is a PostgreSQL server's URL. */
export async function benchPostgres(url, { rounds = 15, ops = 2000, txOps = 200 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-pg-'));
  const schemas = { raw: 'bench_raw', sync: 'bench_sync', async: 'bench_async' };
  const seeded = Object.fromEntries(Object.entries(schemas).map(([k, schema]) => [k, seed(url, schema, path.join(dir, `${k}.db`))]));
  seeded.raw.close();
  seeded.async.close();
  const poolSize = 10;
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path=${schemas.raw}` });
  // A connection the server ends while the pool closes (the embedded server stops right after) is
  // an 'error' event on the pool; without a listener it ended the run with exit code 1.
  pool.on('error', () => {});
  // Raw pg works on plain tables, as an application's own schema would be: without SQLite's rowid
  // (its column, index and trigger), so the ratios include what the rowid costs the facade.
  for (const table of ['agents', 'vm_assignments']) await pool.query(`DROP TRIGGER "_sqlite_rowid" ON ${table}; ALTER TABLE ${table} DROP COLUMN "_rowid_"`);
  const adb = new AsyncDatabase(path.join(dir, 'async.db'), { backend: 'postgres', databaseUrl: url, pgSchema: schemas.async, pgPoolSize: poolSize });
  const contenders = {
    'pg unnamed': rawPg(pool, 'u', false),
    'pg named': rawPg(pool, 'n', true),
    'facade (sync)': syncFacade(seeded.sync, 's'),
    AsyncDatabase: await asyncFacade(adb, 'a'),
  };
  const rows = [];
  for (const op of Object.keys(contenders['pg unnamed'])) {
    const picked = Object.fromEntries(Object.entries(contenders).map(([name, ops]) => [name, ops[op]]));
    const results = await compare(picked, { ops: op.startsWith('transaction') ? txOps : ops, rounds });
    rows.push({ name: op, results });
  }
  seeded.sync.close();
  await adb.close();
  await pool.end();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows;
}
