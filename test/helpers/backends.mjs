// How the conformance suite opens a fresh database on each backend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database, { SqliteError } from 'swarm-registry-adapter';
import { createTestDatabase } from './pg.mjs';

export function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function opener(options) {
  return (t, { withoutNew = false } = {}) => {
    const file = path.join(tempDir(t), 'registry.db');
    const db = withoutNew ? Database(file, options) : new Database(file, options);
    t.teardown(() => db.open && db.close());
    return db;
  };
}

export function sqliteBackend() {
  return { name: 'sqlite', Database, SqliteError, open: opener({ backend: 'sqlite' }), expects: { lastInsertRowid: 'number' } };
}

/**
 * PostgreSQL: one database per test file (created on first use, dropped after the file), one fresh
 * schema per test, so tests of a file run in parallel without seeing each other.
 */
export function postgresBackend(test, { name = 'postgres', extra = {} } = {}) {
  let database;
  const databaseUrl = async () => {
    database ??= createTestDatabase();
    return (await database).url;
  };
  test.after.always(async () => {
    if (database) await (await database).drop();
  });
  let schemas = 0;
  return {
    name,
    Database,
    SqliteError,
    expects: { lastInsertRowid: 'zero' },
    async open(t, { withoutNew = false, options = {} } = {}) {
      const file = path.join(tempDir(t), 'registry.db');
      const opts = { backend: 'postgres', databaseUrl: await databaseUrl(), pgSchema: `s${process.pid}_${++schemas}`, pgTimeoutMs: 20000, ...extra, ...options };
      const db = withoutNew ? Database(file, opts) : new Database(file, opts);
      t.teardown(() => db.open && db.close());
      return db;
    },
  };
}
