// Shadow mode's cost: the caller's time on an engine-like mixed workload in sqlite mode and in
// shadow mode (SQLite primary, every read compared), side by side; then the mirror's sustained
// write rate, paced at 5,000 writes/s (lag in the middle vs at the end), and flooded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'swarm-registry-adapter';
import { compare, mainThreadCpuMicros, printTable } from './lib.mjs';
import { startEmbeddedPostgres } from '../test/helpers/embedded-server.mjs';

const require = (await import('node:module')).createRequire(import.meta.url);
const { SCHEMA } = require('../test/fixtures/engine/workload.cjs');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(db) {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const agent = db.prepare('INSERT INTO agents (id, name, version, path, capabilities) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 200; i++) agent.run(`agent-${i}`, `agent-${i % 50}`, `1.${Math.floor(i / 50)}.0`, `/opt/agents/${i}`, '{"tools":["git"]}');
    db.prepare("INSERT INTO workflows (id, name, version, path, steps) VALUES ('wf-1', 'build', '1.0.0', '/w', '[]')").run();
    db.prepare("INSERT INTO workflow_runs (id, workflow_id, status) VALUES ('run-1', 'wf-1', 'running')").run();
    const step = db.prepare("INSERT INTO step_executions (id, run_id, step_id, agent_id, status) VALUES (?, 'run-1', ?, ?, 'running')");
    for (let i = 0; i < 100; i++) step.run(`step-${i}`, `s${i}`, `agent-${i % 200}`);
  })();
  const s = {
    getAgent: db.prepare('SELECT * FROM agents WHERE id = ?'),
    steps: db.prepare('SELECT id, status, duration_ms FROM step_executions WHERE run_id = ? ORDER BY id LIMIT 10'),
    count: db.prepare("SELECT COUNT(*) AS n FROM step_executions WHERE status = 'completed'"),
    finish: db.prepare("UPDATE step_executions SET status = 'completed', duration_ms = ?, completed_at = datetime('now') WHERE id = ?"),
    assign: db.prepare("INSERT OR REPLACE INTO vm_assignments (vm_id, ticket_id, assigned_at, status) VALUES (?, ?, datetime('now'), 'running')"),
  };
  // An engine step: three reads and a write.
  const mixed = (i) => {
    switch (i & 3) {
      case 0: return s.getAgent.get(`agent-${i % 200}`);
      case 1: return s.steps.all('run-1');
      case 2: return s.count.get();
      default: return (i & 4) ? s.finish.run(i, `step-${i % 100}`) : s.assign.run(i % 500, `T-${i}`);
    }
  };
  return { db, mixed, write: (i) => ((i & 1) ? s.finish.run(i, `step-${i % 100}`) : s.assign.run(i % 5000, `T-${i}`)) };
}

async function settled(db, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  await sleep(0);
  while (db.shadowStats().queueDepth > 0 && Date.now() < until) await sleep(20);
}

export async function benchShadow(databaseUrl = process.env.DATABASE_URL) {
  const embedded = databaseUrl ? null : await startEmbeddedPostgres();
  const url = databaseUrl ?? embedded.url;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-shadow-'));
  const open = (name, options) => setup(new Database(path.join(dir, `${name}.db`), { databaseUrl: url, pgSchema: `bench_${name}_${process.pid}`, divergenceLog: path.join(dir, `${name}.jsonl`), ...options }));
  try {
    const sqlite = open('sqlite', { backend: 'sqlite' });
    const shadow = open('shadow', { backend: 'shadow', primary: 'sqlite', shadowSample: 1 });
    await settled(shadow.db);
    // Between rounds (untimed) the mirror catches up: each round's 4,000 statements fit its queue, so
    // the caller's time is measured with the mirror working beside it, never with a dropping queue.
    // The caller's thread CPU per op besides the wall time: on a loaded machine it moves much less.
    const cpuRun = async (contenders, ops) => {
      const cpu = Object.fromEntries(Object.keys(contenders).map((n) => [n, 0]));
      let last = mainThreadCpuMicros();
      const results = await compare(contenders, { ops, rounds: 15, between: async (name) => {
        const now = mainThreadCpuMicros();
        if (now !== null) cpu[name] += now - last;
        await settled(shadow.db);
        last = mainThreadCpuMicros();
      } });
      return { results, cpu: Object.fromEntries(Object.entries(cpu).map(([n, us]) => [n, us / ops / 17])) };
    };
    const mix = await cpuRun({ 'sqlite mode': sqlite.mixed, 'shadow (sample 1)': shadow.mixed }, 4000);
    const writes = await cpuRun({ 'sqlite mode': sqlite.write, 'shadow (sample 1)': shadow.write }, 2000);
    const results = mix.results;
    printTable('Shadow mode: the caller\'s time on an engine-like mix (3 reads : 1 write), sqlite mode vs shadow with every read compared (median of 15 alternating rounds)', [{ name: 'engine-like mix', results }, { name: 'autocommit write', results: writes.results }], 'sqlite mode');
    if (mainThreadCpuMicros() !== null) {
      const line = (name, { cpu }) => `${name}: ${cpu['sqlite mode'].toFixed(2)} vs ${cpu['shadow (sample 1)'].toFixed(2)} µs/op = ${(cpu['shadow (sample 1)'] / cpu['sqlite mode']).toFixed(3)}×`;
      console.log(`caller's thread CPU (all 17 rounds), sqlite mode vs shadow: ${line('engine-like mix', mix)}; ${line('autocommit write', writes)}; load average ${os.loadavg()[0].toFixed(2)}`);
    }
    await settled(shadow.db);
    const mixStats = shadow.db.shadowStats();
    console.log(`mirror after the mix: ${mixStats.compared} answers compared, ${mixStats.diverged} diverged, ${mixStats.gaps} gaps`);
    sqlite.db.close();
    shadow.db.close();

    // Sustained rate: 5,000 writes/s for 6 s; the lag must not grow between the middle and the end.
    const paced = open('paced', { backend: 'shadow', primary: 'sqlite', shadowSample: 1 });
    await settled(paced.db);
    const rate = 5000;
    const seconds = 6;
    const start = performance.now();
    let written = 0;
    let middle;
    while (written < rate * seconds) {
      const due = Math.min(rate * seconds, Math.floor(((performance.now() - start) / 1000) * rate));
      while (written < due) paced.write(written++);
      if (!middle && written >= (rate * seconds) / 2) middle = paced.db.shadowStats();
      await sleep(5);
    }
    const end = paced.db.shadowStats();
    await settled(paced.db);
    console.log(`\nMirror at ${rate} writes/s for ${seconds} s: lag in the middle ${middle.lagOps} ops / ${middle.lagMs} ms, at the end ${end.lagOps} ops / ${end.lagMs} ms; ${end.gaps} gaps`);

    // Flooded: as many writes as the caller can make, then the time the mirror needs to apply them.
    const n = 20000;
    const floodStart = performance.now();
    for (let i = 0; i < n; i++) paced.write(i);
    const callerMs = performance.now() - floodStart;
    await settled(paced.db);
    const totalMs = performance.now() - floodStart;
    const flooded = paced.db.shadowStats();
    console.log(`Mirror flooded with ${n} writes: caller ${Math.round((n / callerMs) * 1000)} writes/s, mirror ${Math.round((n / totalMs) * 1000)} writes/s sustained; ${flooded.gaps} gaps, ${flooded.diverged} divergences`);
    paced.db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (embedded) await embedded.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchShadow();
