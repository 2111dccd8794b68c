// What opening a database costs: open, one statement, close, over and over in one process (as a
// test suite, a CLI command or a short-lived job does). Wall time per cycle (the medians of
// alternating rounds) and the process's CPU time per cycle, all threads included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import Database from '../dist/index.js';
import { compare } from './lib.mjs';

export async function benchOpen(url) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-open-'));
  let n = 0;
  const facade = (options) => () => {
    const i = ++n;
    const db = new Database(path.join(dir, `r${i}.db`), { ...options, databaseUrl: url, pgSchema: `bench_open_${i}`, divergenceLog: path.join(dir, `d${i}.jsonl`) });
    db.prepare('SELECT 1').get();
    db.close();
  };
  const contenders = {
    'better-sqlite3': () => {
      const db = new BetterSqlite3(path.join(dir, `raw${++n}.db`));
      db.prepare('SELECT 1').get();
      db.close();
    },
    'pg Client': async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
    },
    'sqlite mode': facade({ backend: 'sqlite' }),
    'postgres mode': facade({ backend: 'postgres' }),
    'shadow, SQLite primary': facade({ backend: 'shadow', primary: 'sqlite' }),
    'shadow, PostgreSQL primary': facade({ backend: 'shadow', primary: 'postgres' }),
  };
  const cpu = Object.fromEntries(Object.keys(contenders).map((name) => [name, 0]));
  const counts = { ...cpu };
  const timed = Object.fromEntries(Object.entries(contenders).map(([name, fn]) => [name, async () => {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    cpu[name] += (used.user + used.system) / 1000;
    counts[name]++;
  }]));
  const wall = await compare(timed, { rounds: 9, ops: 10, warmup: 1 });
  fs.rmSync(dir, { recursive: true, force: true });
  return Object.keys(contenders).map((name) => ({ name, wallMs: wall[name] / 1000, cpuMs: cpu[name] / counts[name] }));
}

export function printOpen(rows) {
  console.log('\nOpening a database: open, SELECT 1, close (each mode on a fresh file and schema; 9 alternating rounds of 10)');
  console.log('contender | wall ms/cycle | CPU ms/cycle (all threads)');
  for (const row of rows) console.log(`${row.name} | ${row.wallMs.toFixed(1)} | ${row.cpuMs.toFixed(1)}`);
}
