// How the conformance suite opens a fresh database on each backend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database, { SqliteError } from 'swarm-registry-adapter';

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
