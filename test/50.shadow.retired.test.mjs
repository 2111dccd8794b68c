// REGISTRY_SQLITE_RETIRED=1 end to end: postgres mode works without better-sqlite3 (uninstalled, or
// installed but never loaded), and sqlite/shadow refuse the registry with a clear error.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase } from './helpers/pg.mjs';

const fixture = (name) => fileURLToPath(new URL(`./fixtures/retired/${name}`, import.meta.url));

async function runChild(t, preload) {
  const { url } = await createTestDatabase(t);
  const args = [...(preload ? ['--require', fixture('no-better-sqlite3.cjs')] : []), fixture('use-registry.cjs'), tempDir(t), 'retired'];
  const env = { ...process.env, REGISTRY_SQLITE_RETIRED: '1', DATABASE_URL: url, REGISTRY_DB: '*' };
  return JSON.parse(execFileSync(process.execPath, args, { env, encoding: 'utf8' }).split('\n').pop());
}

for (const [title, preload] of [['better-sqlite3 uninstalled', true], ['better-sqlite3 installed', false]]) {
  test(`retired (${title}): postgres mode works and never loads better-sqlite3; sqlite and shadow refuse clearly`, async (t) => {
    const out = await runChild(t, preload);
    t.deepEqual(out.postgres, { ok: true, value: { changes: 1, count: 3, duplicate: ['SqliteError', 'SQLITE_CONSTRAINT_PRIMARYKEY', true] } });
    for (const mode of ['sqlite', 'shadow']) {
      t.false(out[mode].ok);
      t.is(out[mode].name, 'ConfigurationError');
      t.regex(out[mode].message, new RegExp(`REGISTRY_SQLITE_RETIRED is set.*option "backend"=${mode}.*set REGISTRY_BACKEND=postgres`));
    }
    t.deepEqual(out.loaded, []);
  });
}
