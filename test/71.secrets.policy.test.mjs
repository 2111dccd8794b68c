// The secrecy policy's two halves, without a database: the reading of a statement (which result
// columns, parameters and literals carry a secret, whatever the shape) and the process's set of
// known secret values (found again in any text, any case, inside JSON, by fingerprint only).
import test from 'ava';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { statementSecrets, KnownSecrets, hashSecret, redactText, redactStatementText, MIN_SECRET_LENGTH } = require('../dist/policy/index.js');
const { hashSecret: verifyHashOf } = require('../dist/policy/index.js');
const { secretHash } = require('../dist/migrate/index.js');

const flags = (sql) => statementSecrets(sql).resultFlags;

test('result columns: aliases and every expression over a secret column are secret, the others not', (t) => {
  t.deepEqual(flags('SELECT id, webhook_secret AS s FROM triggers'), [false, true]);
  t.deepEqual(flags("SELECT id, webhook_secret || '' AS s, upper(webhook_secret), substr(webhook_secret, 1, 4) FROM triggers"), [false, true, true, true]);
  t.deepEqual(flags("SELECT json_object('s', webhook_secret) AS j, coalesce(webhook_secret, 'x') AS c FROM triggers"), [true, true]);
  t.deepEqual(flags('SELECT group_concat(webhook_secret) AS g FROM triggers'), [true]);
  t.deepEqual(flags('SELECT CAST(encrypted_value AS TEXT) AS v, name FROM secrets'), [true, false]);
  t.deepEqual(flags('SELECT (SELECT webhook_secret FROM triggers LIMIT 1) AS s, 1 AS n'), [true, false]);
  t.deepEqual(flags('SELECT id FROM triggers UNION ALL SELECT webhook_secret FROM triggers'), [true], 'a compound member by position');
  t.deepEqual(flags("UPDATE triggers SET type = 'x' RETURNING id, webhook_secret AS s"), [false, true]);
  t.is(flags('SELECT id, name FROM workflows'), undefined, 'nothing secret: nothing to flag');
});

test('a secret inside a derived table or a CTE makes every result column secret; a * is read by name', (t) => {
  t.true(statementSecrets('SELECT s FROM (SELECT webhook_secret AS s FROM triggers)').allResults);
  t.true(statementSecrets('WITH x AS (SELECT webhook_secret AS s FROM triggers) SELECT s FROM x').allResults);
  t.false(statementSecrets('SELECT id FROM triggers WHERE webhook_secret = ?').allResults);
  const star = statementSecrets('SELECT * FROM triggers');
  t.true(star.byName);
  t.true(star.touches);
  t.is(star.resultFlags, undefined, 'positions are not known under a *');
  t.false(statementSecrets('SELECT * FROM workflows').touches);
});

test('parameters: assigned to, inserted into or compared with a secret column, whatever wraps them', (t) => {
  const compared = statementSecrets('SELECT id FROM triggers WHERE lower(webhook_secret) = lower(?) AND id = ?');
  t.deepEqual([...compared.positional], [0]);
  t.deepEqual([...statementSecrets('UPDATE triggers SET type = ?, webhook_secret = upper(?) WHERE id = ?').positional], [1]);
  t.deepEqual([...statementSecrets('INSERT INTO triggers (id, webhook_secret, type) VALUES (?, ?, ?)').positional], [1]);
  t.deepEqual([...statementSecrets('INSERT INTO triggers (id, webhook_secret) VALUES (@id, @secret)').named], ['secret']);
  t.deepEqual([...statementSecrets('SELECT 1 FROM triggers WHERE webhook_secret IN (?1, ?2) OR id = ?3').named].sort(), ['1', '2']);
  t.deepEqual([...statementSecrets('SELECT id FROM triggers WHERE webhook_secret NOT IN (?, ?)').positional], [0, 1]);
});

test('literals written into or compared with a secret column are found, and hashed in the SQL text', (t) => {
  const update = "UPDATE triggers SET webhook_secret = 'whsec_literal_1', type = 'cron' WHERE id = 't1'";
  t.deepEqual(statementSecrets(update).literals.map((l) => l.value), ['whsec_literal_1']);
  const insert = "INSERT INTO triggers (id, type, webhook_secret) VALUES ('t1', 'webhook', 'whsec_literal_2'), ('t2', 'cron', 'whsec_literal_3')";
  t.deepEqual(statementSecrets(insert).literals.map((l) => l.value), ['whsec_literal_2', 'whsec_literal_3']);
  const text = redactStatementText(update);
  t.false(text.includes('whsec_literal_1'));
  t.true(text.includes(`'${hashSecret('whsec_literal_1')}'`));
  t.true(text.includes("type = 'cron'"), 'other literals are kept');
});

test('known secrets: found in any case, inside JSON text and quoted SQL, replaced by the value\'s one hash', (t) => {
  const known = new KnownSecrets();
  const secret = 'whsec_Known"Value\'42';
  known.learn(secret);
  const hash = hashSecret(secret);
  t.is(known.redact(`a ${secret} b`), `a ${hash} b`);
  t.is(known.redact(`upper: ${secret.toUpperCase()}`), `upper: ${hash}`);
  t.is(known.redact(JSON.stringify({ s: secret })), `{"s":"${hash}"}`);
  t.is(known.redact(`'${secret.replace(/'/g, "''")}'`), `'${hash}'`);
  t.is(known.redact('nothing here'), 'nothing here');
  t.false(JSON.stringify([...known.drainFresh()]).includes('Known'), 'only fingerprints are kept');
  known.learn('short');
  t.true('short'.length < MIN_SECRET_LENGTH);
  t.is(known.redact('a short text'), 'a short text', 'values shorter than the minimum are not searched for');
});

test('known secrets cross threads as fingerprints', (t) => {
  const here = new KnownSecrets();
  here.learn('whsec_crossing_threads');
  const there = new KnownSecrets();
  there.import(here.drainFresh());
  t.is(there.redact('x whsec_crossing_threads y'), `x ${hashSecret('whsec_crossing_threads')} y`);
});

test('error texts: values PostgreSQL quotes are hashed when the statement touches a secret column', (t) => {
  const message = 'datatype mismatch: invalid input syntax for type numeric: "whsec_quoted_value"';
  t.false(redactText(message, { sql: 'SELECT CAST(webhook_secret AS NUMERIC) FROM triggers' }).includes('whsec_quoted_value'));
  t.is(redactText('invalid input syntax for type integer: "abc"', { sql: 'SELECT CAST(name AS INTEGER) FROM workflows' }), 'invalid input syntax for type integer: "abc"');
});

test('one hash format: verify hashes a value as the divergence log does (blobs by their bytes)', (t) => {
  t.is(secretHash('whsec_same_value', 'text'), verifyHashOf('whsec_same_value'));
  t.is(secretHash(Buffer.from('blob-value').toString('hex'), 'blob'), verifyHashOf(Buffer.from('blob-value')));
  t.regex(secretHash('x', 'text'), /^sha256:[0-9a-f]{16}$/);
});
