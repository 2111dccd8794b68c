#!/usr/bin/env node
// The migration's speed and memory, end to end: generated registries (BENCH_ROWS, default
// 400,000 and 1,200,000 rows) with orphan rows, blobs and 180 KB artifacts, each run through the
// CLI as an operator runs it (`swarm-registry init`, `backfill --orphans skip`, `verify`), one
// process per command, timed from process start to exit with the process's peak RSS (VmHWM, worker
// threads included); then pgloader on the same file, side by side, when it is installed.
// Run `npm run build` first.
//   BENCH_ROWS=400000,1200000   the sizes (rows in all)
//   BENCH_ARTIFACT_KIB=180      the large artifacts' size (every 200th artifact)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../test/helpers/embedded-server.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { seedRegistry } = require('../dist/migrate/index.js');

const CLI = fileURLToPath(new URL('../bin/swarm-registry.js', import.meta.url));
const SIZES = (process.env.BENCH_ROWS ?? '400000,1200000').split(',').map(Number);
const ARTIFACT_KIB = Number(process.env.BENCH_ARTIFACT_KIB ?? 180);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-'));

// The machine may be shared: each line says how busy it was (1-minute load average).
const load = () => `load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`;

/** Runs a command to its exit: seconds from spawn to exit, and the peak RSS it reached (MB). */
function measured(args, env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(args[0], args.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    let peakKb = 0;
    // VmHWM only grows: the last reading before the process ends is its peak (to within 20 ms).
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // the process has ended
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, out, seconds: (performance.now() - started) / 1000, peakMb: Math.round(peakKb / 1024) });
    });
  });
}

function pgloaderVersion() {
  const found = spawnSync('pgloader', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.split('\n')[0] : null;
}

const embedded = process.env.TEST_DATABASE_URL ? null : await startEmbeddedPostgres();
const url = process.env.TEST_DATABASE_URL ?? embedded.url;
try {
  for (const rows of SIZES) {
    const file = path.join(dir, `registry-${rows}.db`);
    const counts = seedRegistry(file, { rows, orphans: true, largeArtifactKib: ARTIFACT_KIB });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`registry: ${total} rows, ${(fs.statSync(file).size / 1e6).toFixed(0)} MB (orphans, blobs, every 200th artifact ${ARTIFACT_KIB} KB)`);
    const env = { ...process.env, REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_PG_SCHEMA: `bench_${rows}` };
    for (const [name, args] of [['init', ['init']], ['backfill', ['backfill', '--orphans', 'skip']], ['verify', ['verify']]]) {
      const run = await measured([process.execPath, CLI, ...args], env);
      const rate = name === 'init' ? '' : ` = ${Math.round(total / run.seconds)} rows/s`;
      console.log(`  ${name.padEnd(8)} ${run.seconds.toFixed(2)} s${rate}, peak RSS ${run.peakMb} MB, exit ${run.code}, ${load()}`);
      if (run.code !== 0) console.log(run.out.split('\n').slice(-6).join('\n'));
      if (name === 'init') fs.readdirSync(dir).filter((f) => f.includes('.backup-')).forEach((f) => fs.rmSync(path.join(dir, f)));
    }
    const version = pgloaderVersion();
    if (!version) {
      console.log('  pgloader: skipped — not installed (apt-get install -y pgloader, Debian package `pgloader`).');
    } else {
      const admin = new pg.Client(url);
      await admin.connect();
      await admin.query('DROP DATABASE IF EXISTS bench_pgloader');
      await admin.query('CREATE DATABASE bench_pgloader');
      await admin.end();
      const target = new URL(url);
      target.pathname = '/bench_pgloader';
      const run = await measured(['pgloader', '--quiet', `sqlite://${file}`, target.toString()], process.env);
      if (run.code !== 0) console.log(`  pgloader: failed (${run.out.split('\n').find((l) => l.trim()) ?? `exit ${run.code}`})`);
      else console.log(`  pgloader ${run.seconds.toFixed(2)} s = ${Math.round(total / run.seconds)} rows/s, peak RSS ${run.peakMb} MB (${version}: its own schema, no profile, no resume), ${load()}`);
    }
    fs.rmSync(file, { force: true });
  }
} finally {
  if (embedded) await embedded.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
