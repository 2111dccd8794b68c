#!/usr/bin/env node
// The migration's speed: a generated registry of ≥ 500,000 rows, backfill and verify on an
// embedded PostgreSQL (or TEST_DATABASE_URL), rows/s and peak RSS of each; then pgloader on the
// same file, side by side, when it is installed. Run `npx tsc -p .` first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { startEmbeddedPostgres } from '../test/helpers/embedded-server.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { seedRegistry, runInit, runBackfill, runVerify } = require('../dist/migrate/index.js');

const ROWS = Number(process.env.BENCH_ROWS ?? 500_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-'));
const file = path.join(dir, 'registry.db');

// The machine may be shared: each line says how busy it was (1-minute load average, 2 cores here).
const load = () => `load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`;

async function measured(fn) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const started = performance.now();
  try {
    const result = await fn();
    return { result, seconds: (performance.now() - started) / 1000, peakMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

function pgloaderVersion() {
  const found = spawnSync('pgloader', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.split('\n')[0] : null;
}

const embedded = process.env.TEST_DATABASE_URL ? null : await startEmbeddedPostgres();
const url = process.env.TEST_DATABASE_URL ?? embedded.url;
try {
  const counts = seedRegistry(file, { rows: ROWS });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`registry: ${total} rows (${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ')}), ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`);
  const settings = { registryDb: file, databaseUrl: url, pgSchema: 'engine_registry' };
  await runInit(settings);
  fs.readdirSync(dir).filter((f) => f.includes('.backup-')).forEach((f) => fs.rmSync(path.join(dir, f)));

  const backfill = await measured(() => runBackfill(settings));
  console.log(`backfill: ${backfill.result.copied} rows in ${backfill.seconds.toFixed(2)} s = ${Math.round(backfill.result.copied / backfill.seconds)} rows/s, peak RSS ${backfill.peakMb} MB (per-row FK triggers: ${backfill.result.rowTriggers ? 'on' : 'off, checked in bulk'}), ${load()}`);
  const verify = await measured(() => runVerify(settings));
  console.log(`verify:   ${verify.result.rows} rows in ${verify.seconds.toFixed(2)} s = ${Math.round(verify.result.rows / verify.seconds)} rows/s, peak RSS ${verify.peakMb} MB, clean: ${verify.result.clean}, ${load()}`);

  const version = pgloaderVersion();
  if (!version) {
    console.log('pgloader: skipped — not installed (apt-get install -y pgloader, Debian package `pgloader`).');
  } else {
    const admin = new pg.Client(url);
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS bench_pgloader');
    await admin.query('CREATE DATABASE bench_pgloader');
    await admin.end();
    const target = new URL(url);
    target.pathname = '/bench_pgloader';
    const started = performance.now();
    const out = spawnSync('pgloader', ['--quiet', `sqlite://${file}`, target.toString()], { encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    if (out.status !== 0) {
      console.log(`pgloader: failed (${(out.stderr || out.stdout).split('\n').find((l) => l.trim()) ?? `exit ${out.status}`})`);
    } else {
      console.log(`pgloader (${version}): ${total} rows in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} rows/s (its own schema, no profile, no resume), ${load()}`);
      console.log(`ratio: backfill takes ${(backfill.seconds / seconds).toFixed(2)}× pgloader's time`);
    }
  }
} finally {
  if (embedded) await embedded.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
