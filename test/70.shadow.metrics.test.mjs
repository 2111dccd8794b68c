// The canary's figures through OpenTelemetry: with an in-process MeterProvider installed as the
// global one (as an application installs its SDK), one collection receives every metric the
// adapter names, from the caller's thread and from the mirror worker, with the values it counted.
import test from 'ava';
import path from 'node:path';
import { createRequire } from 'node:module';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import Database, { AsyncDatabase } from 'swarm-registry-adapter';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const { METRIC, METER_NAME } = require('../dist/metrics/index.js');

class TestReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const reader = new TestReader();
const provider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(provider);
test.after.always(() => provider.shutdown());


/** The adapter's metrics by name, each with its data points. */
async function collect() {
  const { resourceMetrics } = await reader.collect();
  const scope = resourceMetrics.scopeMetrics.find((s) => s.scope.name === METER_NAME);
  return new Map((scope?.metrics ?? []).map((m) => [m.descriptor.name, m.dataPoints]));
}

async function until(t, what, check) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) return t.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an installed MeterProvider receives every metric the adapter names', async (t) => {
  t.is(METER_NAME, require('../package.json').name);
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const db = new Database(path.join(dir, 'registry.db'), { backend: 'shadow', primary: 'sqlite', databaseUrl: url, pgSchema: 'canary', shadowSample: 1, divergenceLog: path.join(dir, 'divergences.jsonl') });
  t.teardown(() => db.open && db.close());
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)');
  const insert = db.prepare('INSERT INTO t (id, n) VALUES (?, ?)');
  for (let i = 0; i < 20; i++) insert.run(`k${i}`, i);
  await until(t, 'the mirror to apply the writes', () => db.shadowStats().queueDepth === 0 && db.shadowStats().mirrored >= 20);
  // PostgreSQL changed behind the adapter's back: the next compared reads diverge.
  await withClient(url, (c) => c.query('UPDATE canary.t SET n = n + 100'));
  const select = db.prepare('SELECT n FROM t WHERE id = ?');
  for (let i = 0; i < 20; i++) select.get(`k${i}`);
  await until(t, 'the compared reads', () => db.shadowStats().compared >= 20);

  // The async pool of one connection: the second of two concurrent queries waits for it.
  const pooled = new AsyncDatabase(path.join(dir, 'async.db'), { backend: 'postgres', databaseUrl: url, pgSchema: 'metrics_pool', pgPoolSize: 1 });
  t.teardown(() => pooled.close());
  await pooled.exec('CREATE TABLE IF NOT EXISTS w (id TEXT PRIMARY KEY)');
  const slow = await pooled.prepare('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT count(*) AS n FROM c');
  await Promise.all([slow.get(), slow.get(), slow.get()]);

  // The synchronous backend's pool (in its worker thread): a cursor holds the only connection, so
  // the next statement waits for it, until the timeout. Set up first under the default timeout: a
  // loaded machine may take more than the short one to create the schema.
  const syncOptions = { backend: 'postgres', databaseUrl: url, pgSchema: 'metrics_sync' };
  const setup = new Database(path.join(dir, 'sync.db'), syncOptions);
  setup.exec('CREATE TABLE IF NOT EXISTS w (id INTEGER PRIMARY KEY)');
  const add = setup.prepare('INSERT OR IGNORE INTO w (id) VALUES (?)');
  setup.transaction(() => { for (let i = 1; i <= 300; i++) add.run(i); })();
  setup.close();
  const sync = new Database(path.join(dir, 'sync.db'), { ...syncOptions, pgPoolSize: 1, pgTimeoutMs: 3000 });
  t.teardown(() => sync.open && sync.close());
  const rows = sync.prepare('SELECT id FROM w ORDER BY id').iterate();
  rows.next();
  t.throws(() => sync.prepare('SELECT 1').get(), { any: true }, 'no connection is free');
  rows.return();

  const found = await until(t, "the mirror's statement times", async () => {
    const m = await collect();
    const secondary = (m.get(METRIC.statementDuration) ?? []).some((p) => p.attributes.role === 'secondary');
    return secondary ? m : undefined;
  });
  for (const name of Object.values(METRIC)) t.true(found.has(name), `${name} was received`);

  const points = (name) => found.get(name) ?? [];
  const value = (name, attrs = {}) => points(name).filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + (typeof p.value === 'number' ? p.value : p.value.count), 0);
  t.true(value(METRIC.compared, { primary: 'sqlite', secondary: 'postgres' }) >= 20);
  t.is(value(METRIC.gaps), 0);
  t.true(value(METRIC.statementDuration, { backend: 'sqlite', role: 'primary' }) >= 40, 'each of the caller\'s statements is timed');
  t.true(value(METRIC.statementDuration, { backend: 'postgres', role: 'secondary' }) >= 20, "the mirror's statements reach the caller's MeterProvider");
  t.true(value(METRIC.translationCache, { result: 'miss' }) >= 1);
  t.true(value(METRIC.translationCache, { result: 'hit' }) >= 1);
  t.true(value(METRIC.poolWaits, { pool: 'async' }) >= 1, 'the second query waited for the only connection');
  t.true(value(METRIC.poolWaitDuration, { pool: 'async' }) >= 1);
  t.true(value(METRIC.poolWaits, { pool: 'backend' }) >= 1, 'a wait in the worker thread reaches the caller\'s MeterProvider');
  t.true(points(METRIC.lagSeconds).every((p) => p.value >= 0));
  t.is(value(METRIC.queueDepth), 0);
  t.is(value(METRIC.lagOps), 0);
  const kinds = points(METRIC.divergences).map((p) => p.attributes.kind);
  t.true(kinds.includes('rows'), `divergences are split by kind: ${kinds.join(', ')}`);
  t.true(value(METRIC.divergences) >= 20, 'every changed row was caught');
  db.close();
});
