// A backfill killed with SIGKILL mid-copy resumes and copies every row exactly once.
import test from 'ava';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { cli, spawnCli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const { seedRegistry } = require('../dist/migrate/index.js');

test('kill -9 during the copy, run again: every row exactly once, verify clean', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  // Small chunks of a modest registry: the kill lands after the first committed chunk, long before the end.
  const seeded = seedRegistry(file, { rows: 20_000 });
  const total = Object.values(seeded).reduce((a, b) => a + b, 0);
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init'], env)).code, 0);

  const child = spawnCli(['backfill', '--chunk-rows', '200'], env);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let committed = 0;
  await withClient(url, async (c) => {
    for (const until = Date.now() + 60_000; committed === 0 && Date.now() < until;) {
      await sleep(5);
      const r = await c.query("SELECT coalesce(sum(rows), 0) AS n FROM engine_registry._registry_backfill WHERE to_regclass('engine_registry._registry_backfill') IS NOT NULL").catch(() => ({ rows: [{ n: 0 }] }));
      committed = Number(r.rows[0].n);
    }
  });
  child.kill('SIGKILL');
  t.is(await exited, 'SIGKILL');
  t.true(committed > 0 && committed < total, `killed after ${committed} of ${total} rows`);

  const resumed = await cli(['backfill', '--json'], env);
  t.is(resumed.code, 0, resumed.stderr);
  t.true(resumed.json.tables.some((x) => x.copiedEarlier > 0), 'it resumed after the committed chunks');
  t.is(resumed.json.tables.reduce((n, x) => n + x.alreadyPresent, 0), 0);
  await withClient(url, async (c) => {
    let rows = 0;
    for (const table of Object.keys(seeded)) rows += Number((await c.query(`SELECT count(*) FROM engine_registry.${table}`)).rows[0].count);
    t.is(rows, total);
  });
  t.is((await cli(['verify'], env)).code, 0);
  const again = await cli(['backfill', '--json'], env);
  t.is(again.json.copied, 0, 'a finished backfill run again copies nothing');
});
