// Faults never hang a synchronous call: a dead or stuck worker thread, a killed connection, a slow
// statement, a server that stops answering. Each is an error within the timeout (plus a short
// grace), and the next call works again.
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const { SyncPgClient } = require('../dist/backends/postgres/sync/index.js');
const workerPath = require.resolve('../dist/backends/postgres/worker/main.js');

// The seam: SyncPgClient's `workerPath`. This wrapper runs the real worker and, on a marker in the
// SQL, ends the thread (as an uncaught error would) or blocks it (as a hung event loop would).
const faultyWorker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sra-sync-')), 'faulty-worker.cjs');
fs.writeFileSync(faultyWorker, `
const { workerData } = require('node:worker_threads');
let commitFault = false;
workerData.port.on('message', (request) => {
  const text = request.text || '';
  if (text.includes('/*fault:exit*/')) setTimeout(() => process.exit(1), 100);
  if (text.includes('/*fault:hang*/')) setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000), 50);
  if (text.includes('/*fault:commit*/')) commitFault = true;
  if (request.kind === 'commit' && commitFault) process.exit(1);
});
require(${JSON.stringify(workerPath)});
`);

function throwsSqlite(t, fn, { code, message } = {}) {
  try {
    fn();
  } catch (err) {
    t.is(err.name, 'SqliteError', `${err.code ?? ''} ${err.message}`);
    if (code) t.is(err.code, code);
    if (message) t.regex(err.message, message);
    return err;
  }
  t.fail('expected a SqliteError');
  return undefined;
}

function elapsed(fn) {
  const started = Date.now();
  fn();
  return Date.now() - started;
}

/**
 * Starting the worker and connecting count against the client's timeout, which some tests keep at
 * 1 s: on a loaded machine the first call may run out of it. The faults come after this.
 */
function warmUp(client, sql = 'SELECT 1') {
  for (let attempt = 1; ; attempt++) {
    try {
      return client.query(sql);
    } catch (error) {
      if (error.code !== 'SQLITE_INTERRUPT' || attempt === 5) throw error;
    }
  }
}

async function setup(t, options = {}) {
  const db = await createTestDatabase(t);
  await withClient(db.url, (c) => c.query('CREATE TABLE runs (id TEXT PRIMARY KEY)'));
  const applicationName = `faults-${Math.random().toString(36).slice(2)}`;
  const client = new SyncPgClient({ connectionString: db.url, timeoutMs: 10_000, applicationName, workerPath: faultyWorker, ...options });
  t.teardown(() => client.close());
  warmUp(client);
  return { db, client, applicationName };
}

test('the worker thread dying mid-query is SQLITE_IOERR at once, and the next call starts a new one', async (t) => {
  const { client } = await setup(t);
  const pid = client.query('SELECT pg_backend_pid()').rows[0][0];
  client.begin();
  let err;
  const ms = elapsed(() => { err = throwsSqlite(t, () => client.query('SELECT pg_sleep(5) /*fault:exit*/'), { code: 'SQLITE_IOERR', message: /worker thread stopped/ }); });
  t.true(ms < 4000, `took ${ms} ms`); // well before the 5 s sleep: at once, not at its end
  t.regex(err.message, /transaction was rolled back/);
  t.false(client.inTransaction);
  t.notDeepEqual(client.query('SELECT pg_backend_pid()').rows[0][0], pid);
  client.begin();
  client.commit();
});

test('a worker thread that stops answering is SQLITE_IOERR after the timeout, and is replaced', async (t) => {
  const { client } = await setup(t, { timeoutMs: 1000 });
  const ms = elapsed(() => throwsSqlite(t, () => client.query('SELECT pg_sleep(0.2) /*fault:hang*/'), { code: 'SQLITE_IOERR', message: /stopped answering/ }));
  t.true(ms >= 1000 && ms < 5000, `took ${ms} ms`);
  t.deepEqual(warmUp(client, 'SELECT 2').rows, [['2']], 'a new worker answers (it too has to start first)');
});

test('the worker dying during COMMIT says the outcome of COMMIT is unknown', async (t) => {
  const { client } = await setup(t);
  client.begin();
  client.query("INSERT INTO runs VALUES ('r1') /*fault:commit*/");
  throwsSqlite(t, () => client.commit(), { code: 'SQLITE_IOERR', message: /outcome of COMMIT is unknown/ });
  t.false(client.inTransaction);
  t.deepEqual(client.query('SELECT count(*) FROM runs').rows, [['0']]);
});

function terminateBackendOf(url, applicationName) {
  const script = `
    const pg = require('pg');
    (async () => {
      const c = new pg.Client({ connectionString: ${JSON.stringify(url)} });
      await c.connect();
      for (let i = 0; i < 200; i++) {
        const r = await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep%' AND state = 'active'", [${JSON.stringify(applicationName)}]);
        if (r.rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await c.end();
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit', cwd: process.cwd() });
  return new Promise((resolve) => child.on('exit', resolve));
}

test('a connection killed mid-query (pg_terminate_backend) is SQLITE_IOERR, and the next call reconnects', async (t) => {
  const { db, client, applicationName } = await setup(t);
  let killer = terminateBackendOf(db.url, applicationName);
  let ms = elapsed(() => throwsSqlite(t, () => client.query('SELECT pg_sleep(5)'), { code: 'SQLITE_IOERR', message: /connection to PostgreSQL .* was lost/ }));
  t.true(ms < 4000, `took ${ms} ms`);
  await killer;
  t.deepEqual(client.query('SELECT 1').rows, [['1']]);

  client.begin();
  client.query("INSERT INTO runs VALUES ('r1')");
  killer = terminateBackendOf(db.url, applicationName);
  ms = elapsed(() => throwsSqlite(t, () => client.query('SELECT pg_sleep(5)'), { code: 'SQLITE_IOERR', message: /transaction was rolled back/ }));
  t.true(ms < 4000, `took ${ms} ms`);
  await killer;
  t.false(client.inTransaction);
  t.deepEqual(client.query('SELECT count(*) FROM runs').rows, [['0']]);
});

test('a statement slower than the timeout is SQLITE_INTERRUPT and is cancelled on the server', async (t) => {
  const { client, applicationName } = await setup(t, { timeoutMs: 1000 });
  let err;
  const ms = elapsed(() => { err = throwsSqlite(t, () => client.query('SELECT pg_sleep(10)'), { code: 'SQLITE_INTERRUPT', message: /within 1000 ms \(REGISTRY_PG_TIMEOUT_MS\).*cancelled/ }); });
  t.true(ms >= 1000 && ms < 6000, `took ${ms} ms`); // long before the 10 s sleep ends: cancelled
  t.is(err.cause?.code, '57014');
  const running = await withClient(client.options.connectionString, (c) =>
    c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep(3)%' AND state = 'active'", [applicationName]));
  t.is(running.rows[0].n, 0);
  t.deepEqual(client.query('SELECT 1').rows, [['1']]);

  // Inside a transaction the timed-out statement fails alone.
  client.begin();
  client.query("INSERT INTO runs VALUES ('kept')");
  throwsSqlite(t, () => client.query('SELECT pg_sleep(10)'), { code: 'SQLITE_INTERRUPT' });
  t.true(client.inTransaction);
  client.commit();
  t.deepEqual(client.query('SELECT id FROM runs').rows, [['kept']]);
});

// A TCP proxy in another process (this one is blocked during a synchronous call) that can stop
// forwarding, as a server that froze or a network that dropped would.
async function startProxy(t, target) {
  const script = `
    const net = require('node:net');
    let stalled = false;
    const sockets = new Set();
    const server = net.createServer((client) => {
      const upstream = net.connect(${target.port}, ${JSON.stringify(target.hostname)});
      for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => {}); s.on('close', () => sockets.delete(s)); }
      client.on('data', (d) => { if (!stalled) upstream.write(d); });
      upstream.on('data', (d) => { if (!stalled) client.write(d); });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
    process.stdin.on('data', (d) => { stalled = String(d).includes('stall'); console.log('ok'); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => child.kill());
  const lines = [];
  let waiting = null;
  child.stdout.on('data', (d) => {
    lines.push(...String(d).trim().split('\n'));
    if (waiting) waiting();
  });
  const nextLine = async () => {
    while (lines.length === 0) await new Promise((resolve) => { waiting = resolve; });
    return lines.shift();
  };
  const port = Number((await nextLine()).split(' ')[1]);
  const command = async (c) => { child.stdin.write(`${c}\n`); await nextLine(); };
  return { port, stall: () => command('stall'), resume: () => command('resume') };
}

test('a server that stops answering is SQLITE_IOERR within the timeout and its grace, never a hang', async (t) => {
  const db = await createTestDatabase(t);
  const target = new URL(db.url);
  const proxy = await startProxy(t, target);
  const viaProxy = new URL(db.url);
  viaProxy.port = String(proxy.port);
  const client = new SyncPgClient({ connectionString: viaProxy.toString(), timeoutMs: 1000 });
  t.teardown(() => client.close());
  t.deepEqual(warmUp(client).rows, [['1']]);
  await proxy.stall();
  const ms = elapsed(() => throwsSqlite(t, () => client.query('SELECT 2'), { code: 'SQLITE_IOERR', message: /did not answer .* within 1000 ms/ }));
  t.true(ms >= 1000 && ms < 6000, `took ${ms} ms`);
  await proxy.resume();
  t.deepEqual(client.query('SELECT 3').rows, [['3']]);
});
