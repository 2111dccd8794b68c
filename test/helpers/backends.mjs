// How the conformance suite opens a fresh database on each backend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Semaphore } from 'async-mutex';
import Database, { SqliteError } from 'swarm-registry-adapter';
import { createTestDatabase } from './pg.mjs';

/**
 * At most this many PostgreSQL or shadow-mode databases of a test file are open at once. ava starts
 * every test of a file together; unbounded, each would hold its own worker threads at the same
 * moment (two per shadow database), while a database closed before the next opens hands its
 * threads on. A test holds one slot however many databases it opens.
 */
const OPEN_AT_ONCE = 4;
const openSlots = new Semaphore(OPEN_AT_ONCE);
const holding = new WeakSet();

/** Waits for a slot for test `t`, given back after its teardowns (registered first, so it runs last). */
async function slot(t) {
  if (holding.has(t)) return;
  holding.add(t);
  const [, release] = await openSlots.acquire();
  t.teardown(release);
}

export function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens registry.db in a fresh folder of the test with `options`, closed when the test ends. */
function openFresh(t, options, withoutNew = false) {
  const file = path.join(tempDir(t), 'registry.db');
  const db = withoutNew ? Database(file, options) : new Database(file, options);
  t.teardown(() => db.open && db.close());
  return db;
}

function opener(options) {
  return (t, { withoutNew = false } = {}) => openFresh(t, options, withoutNew);
}

/** The URL of one database for the whole test file: created on first use, dropped after the file. */
function fileDatabase(test) {
  let database;
  test.after.always(async () => {
    if (database) await (await database).drop();
  });
  return async () => {
    database ??= createTestDatabase();
    const { url } = await database;
    // Every test of the file waits on this one promise: without a turn of the event loop here, all
    // their (synchronous) bodies would run back to back in one go, and no result would reach ava
    // before the last one ended (on a loaded machine, past ava's timeout).
    await new Promise((resolve) => setImmediate(resolve));
    return url;
  };
}

export function sqliteBackend() {
  return { name: 'sqlite', Database, SqliteError, open: opener({ backend: 'sqlite' }), expects: { lastInsertRowid: 'number' } };
}

/**
 * PostgreSQL: one database per test file (created on first use, dropped after the file), one fresh
 * schema per test, so tests of a file run in parallel without seeing each other. `through` maps the
 * database's URL to the one the backend opens (e.g. the same database through a pooler).
 */
export function postgresBackend(test, { name = 'postgres', extra = {}, through = (url) => url } = {}) {
  const databaseUrl = fileDatabase(test);
  let schemas = 0;
  return {
    name,
    Database,
    SqliteError,
    expects: { lastInsertRowid: 'number' },
    async open(t, { withoutNew = false, options = {} } = {}) {
      await slot(t);
      const opts = { backend: 'postgres', databaseUrl: through(await databaseUrl()), pgSchema: `s${process.pid}_${++schemas}`, pgTimeoutMs: 20000, ...extra, ...options };
      return openFresh(t, opts, withoutNew);
    },
  };
}

/**
 * Shadow mode with either primary: one PostgreSQL database per test file, one schema and one
 * divergence log per test. `logs()` lists the log files written, for the file's final check that
 * the suite left no divergence.
 */
export function shadowBackend(test, { primary = 'sqlite', name = `shadow-${primary}`, extra = {} } = {}) {
  const databaseUrl = fileDatabase(test);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-shadow-logs-'));
  let schemas = 0;
  return {
    name,
    Database,
    SqliteError,
    expects: { lastInsertRowid: 'number' },
    logDir,
    logs: () => fs.readdirSync(logDir).map((f) => path.join(logDir, f)),
    async open(t, { withoutNew = false, options = {} } = {}) {
      await slot(t);
      const n = ++schemas;
      const opts = {
        backend: 'shadow', primary, databaseUrl: await databaseUrl(), pgSchema: `sh${process.pid}_${n}`, pgTimeoutMs: 20000,
        divergenceLog: path.join(logDir, `${n}.jsonl`), ...extra, ...options,
      };
      const db = openFresh(t, opts, withoutNew);
      // Before the close (teardowns run last-registered first): a loaded machine may still be
      // mirroring, and close() drops what is left after REGISTRY_SHADOW_CLOSE_TIMEOUT_MS.
      t.teardown(async () => { if (db.open) await settled(db); });
      return db;
    },
  };
}

/**
 * Waits until the mirror has finished everything enqueued so far. A slow mirror (a loaded machine)
 * is waited for; one that finishes nothing for `stallMs` is stuck, and fails the test.
 */
export async function settled(db, stallMs = 30000) {
  await new Promise((resolve) => setImmediate(resolve));
  let depth = db.shadowStats().queueDepth;
  let stalledSince = Date.now();
  while (depth > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = db.shadowStats().queueDepth;
    if (now < depth) stalledSince = Date.now();
    else if (Date.now() - stalledSince > stallMs) throw new Error(`the mirror finished nothing in ${stallMs} ms: ${JSON.stringify(db.shadowStats())}`);
    depth = now;
  }
}
