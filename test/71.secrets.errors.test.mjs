// Errors the adapter throws in postgres and shadow (PostgreSQL answering) modes hold no secret:
// not in the message, the stack, nor PostgreSQL's own error kept as `cause` (message, detail).
// The secrets are put into PostgreSQL behind the adapter's back, so this process has never seen
// them: what hides them is the statement's reading (a secret column's value quoted by
// PostgreSQL, its key detail), then the values the adapter learns as it writes and reads.
import test from 'ava';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import path from 'node:path';
import Database from 'swarm-registry-adapter';
import { createTestDatabase } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';

const require = createRequire(import.meta.url);
const { REGISTRY_SQLITE_DDL } = require('../dist/schema/index.js');

const RUN = crypto.randomBytes(4).toString('hex');
const marker = (tag) => `whsec_MARKER_${tag}_${RUN}`;

/** Everything a caller could print of an error: own properties, stack, and its cause's. */
function everything(error) {
  const parts = [];
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    parts.push(String(e.message), String(e.stack));
    for (const key of Object.getOwnPropertyNames(e)) {
      const value = e[key];
      if (typeof value === 'string') parts.push(`${key}=${value}`);
    }
  }
  return parts.join('\n');
}

const MODES = [
  { name: 'postgres', options: { backend: 'postgres' } },
  { name: 'shadow, PostgreSQL answering', options: { backend: 'shadow', primary: 'postgres' } },
];

for (const mode of MODES) {
  test.serial(`${mode.name}: errors thrown to the caller carry no secret`, async (t) => {
    const { url } = await createTestDatabase(t);
    const dir = tempDir(t);
    const db = new Database(path.join(dir, 'registry.db'), { ...mode.options, databaseUrl: url, pgSchema: 'engine_registry', divergenceLog: path.join(dir, 'divergence.jsonl') });
    t.teardown(() => db.open && db.close());
    db.exec(REGISTRY_SQLITE_DDL);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    t.teardown(() => client.end());
    await client.query('SET search_path TO engine_registry');
    await client.query("INSERT INTO workflows (id, name, version, path, steps) VALUES ('wf', 'w', '1', '/w', '[]')");
    await client.query(`INSERT INTO triggers (id, workflow_id, type, webhook_path, webhook_secret) VALUES ('t1', 'wf', 'webhook', '/t1', '${marker('unseen')}')`);
    await client.query("CREATE UNIQUE INDEX trg_secret ON triggers (webhook_secret)");

    const caught = {};
    const attempt = (name, fn) => {
      const error = t.throws(fn, { any: true }, name);
      caught[name] = error ? everything(error) : '';
    };
    // PostgreSQL quotes a value it cannot read: `invalid input syntax for type json`, `Token "whsec_..." is invalid`.
    attempt('quoted by PostgreSQL', () => db.prepare("SELECT json_extract(webhook_secret, '$.a') AS n FROM triggers").all());
    attempt('quoted, under an expression', () => db.prepare("SELECT json_extract(upper(webhook_secret) || '', '$.a') AS n FROM triggers").all());
    // A unique violation: PostgreSQL's detail is `Key (webhook_secret)=(whsec_...) already exists.`
    attempt('key detail, parameter', () => db.prepare("INSERT INTO triggers (id, workflow_id, type, webhook_secret) VALUES ('t2', 'wf', 'webhook', ?)").run(marker('unseen')));
    attempt('key detail, literal in an UPDATE', () => db.exec(`INSERT INTO triggers (id, workflow_id, type) VALUES ('t3', 'wf', 'cron'); UPDATE triggers SET webhook_secret = '${marker('unseen')}' WHERE id = 't3'`));
    // A parameter compared with a secret column, then echoed by PostgreSQL.
    attempt('compared parameter', () => db.prepare("SELECT id FROM triggers WHERE lower(webhook_secret) = lower(?) AND json_extract(lower(?), '$.a') = 1").all(marker('compared'), marker('compared')));
    // A secret read earlier is known by value from then on, in any message.
    const read = db.prepare('SELECT webhook_secret FROM triggers WHERE id = ?').pluck().get('t1');
    t.is(read, marker('unseen'), 'the caller still gets the secret itself');
    attempt('known value in another message', () => db.prepare("SELECT json_extract(?, '$.a') AS n").get(read));

    const counts = Object.fromEntries(Object.entries(caught).map(([name, text]) => [name, (text.match(/marker/gi) ?? []).length]));
    t.log(`${mode.name}: marker occurrences per error: ${JSON.stringify(counts)}`);
    for (const [name, text] of Object.entries(caught)) {
      t.true(text.length > 0, `${name}: an error was thrown`);
      t.false(/marker/i.test(text), `${name}: ${text.split('\n').filter((l) => /marker/i.test(l)).join(' | ')}`);
    }
    t.regex(caught['quoted by PostgreSQL'], /sha256:[0-9a-f]{16}/, 'the value is replaced by its hash, not dropped');
  });
}

test.serial('the async API: errors carry no secret, and a secret it read is hidden in later errors', async (t) => {
  const { url } = await createTestDatabase(t);
  const db = new Database.AsyncDatabase(path.join(tempDir(t), 'registry.db'), { backend: 'postgres', databaseUrl: url, pgSchema: 'engine_registry' });
  t.teardown(() => db.close());
  await db.exec(REGISTRY_SQLITE_DDL);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());
  await client.query("INSERT INTO engine_registry.workflows (id, name, version, path, steps) VALUES ('wf', 'w', '1', '/w', '[]')");
  await client.query(`INSERT INTO engine_registry.triggers (id, workflow_id, type, webhook_secret) VALUES ('t1', 'wf', 'webhook', '${marker('async')}')`);
  const quoted = await t.throwsAsync(() => db.prepare("SELECT json_extract(webhook_secret, '$.a') AS n FROM triggers").then((s) => s.all()), { any: true });
  const read = await (await db.prepare('SELECT webhook_secret AS s FROM triggers WHERE id = ?')).get('t1');
  t.is(read.s, marker('async'));
  const known = await t.throwsAsync(() => db.prepare("SELECT json_extract(?, '$.a') AS n").then((s) => s.get(read.s)), { any: true });
  const counts = { 'quoted by PostgreSQL': (everything(quoted).match(/marker/gi) ?? []).length, 'known value': (everything(known).match(/marker/gi) ?? []).length };
  t.log(`async API: marker occurrences per error: ${JSON.stringify(counts)}`);
  t.deepEqual(counts, { 'quoted by PostgreSQL': 0, 'known value': 0 });
});
