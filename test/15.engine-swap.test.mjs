// The one-line change (README.md): an ES-module engine and a CommonJS engine, each changing only its
// import line from better-sqlite3 to swarm-registry-adapter, answer exactly as before.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { tempDir } from './helpers/backends.mjs';

const engineDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'engine');

/** Writes a copy of the engine with its import line swapped, next to the original (so the package resolves). */
function swapped(t, file, from, to) {
  const source = fs.readFileSync(path.join(engineDir, file), 'utf8');
  const lines = source.split('\n');
  const changed = lines.map((line) => (line.includes(from) ? line.replace(from, to) : line));
  t.is(changed.filter((line, i) => line !== lines[i]).length, 1, 'exactly one line changes');
  const copy = path.join(engineDir, `.swapped-${process.pid}-${file}`);
  fs.writeFileSync(copy, changed.join('\n'));
  t.teardown(() => fs.rmSync(copy, { force: true }));
  return copy;
}

function run(script, dbFile, env = {}) {
  return JSON.parse(execFileSync(process.execPath, [script, dbFile], { env: { ...process.env, ...env }, encoding: 'utf8' }));
}

for (const [file, from, to] of [
  ['engine.mjs', "import Database from 'better-sqlite3';", "import Database from 'swarm-registry-adapter';"],
  ['engine.cjs', "require('better-sqlite3')", "require('swarm-registry-adapter')"],
]) {
  test(`${file}: swapping the import line changes no answer, no error, no code (REGISTRY_BACKEND unset and sqlite)`, (t) => {
    const dir = tempDir(t);
    const before = run(path.join(engineDir, file), path.join(dir, 'before.db'));
    const copy = swapped(t, file, from, to);
    const registry = path.join(dir, 'registry.db');
    const afterUnset = run(copy, registry, { REGISTRY_DB: registry, REGISTRY_BACKEND: '' });
    const afterSqlite = run(copy, registry + '2', { REGISTRY_DB: registry + '2', REGISTRY_BACKEND: 'sqlite' });
    t.true(before.length > 40);
    t.true(before.some((entry) => entry[1] === 'error'), 'the workload exercises errors too');
    t.deepEqual(afterUnset, before);
    t.deepEqual(afterSqlite, before);
  });
}

test('the tickets database (not REGISTRY_DB) stays plain SQLite even when the registry moves', (t) => {
  const dir = tempDir(t);
  const before = run(path.join(engineDir, 'engine.mjs'), path.join(dir, 'tickets-before.db'));
  const copy = swapped(t, 'engine.mjs', "import Database from 'better-sqlite3';", "import Database from 'swarm-registry-adapter';");
  const after = run(copy, path.join(dir, 'tickets.db'), {
    REGISTRY_DB: path.join(dir, 'registry.db'),
    REGISTRY_BACKEND: 'postgres',
    DATABASE_URL: 'postgresql://nobody:unused@127.0.0.1:1/none',
  });
  t.deepEqual(after, before);
});
