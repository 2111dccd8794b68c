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
import { seed, syncFacade } from './postgres.mjs';
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
const ops = {};
const open = [];
for (const [tag, mod] of Object.entries(builds)) {
  const db = seed(url, `bench_builds_${tag}_${process.pid}`, path.join(dir, `${tag}.db`), mod.default ?? mod);
  open.push(db);
  ops[tag] = syncFacade(db, tag);
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
