// Secret columns (secrets.encrypted_value, triggers.webhook_secret) never reach a divergence record in
// clear: not in answers (objects, raw arrays, plucked values, expand), parameters (positional, named,
// ?NNN), PostgreSQL error texts, nor a value-difference detail. Each case serialises the whole record.
import test from 'ava';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  SecretColumns, DEFAULT_SECRET_COLUMNS, defaultSecretColumns, extendSecretColumns, hashSecret,
  redactParams, redactAnswer, redactErrorText,
} = require('../dist/shadow/shared/index.js');
const { statementDivergence, compareAnswers } = require('../dist/shadow/mirror/index.js');

const SECRET = 's3cr3t-webhook-value';
const OTHER = 'another-secret-1234';
const HASH = hashSecret(SECRET);

function record({ statement, params = [], slots, primary, secondary, secretsContext }) {
  const difference = compareAnswers(primary, secondary, { ordered: false }) ?? { kind: 'rows', detail: {} };
  return statementDivergence({ statement, params, slots, primary, secondary, difference, primarySide: 'sqlite', secondarySide: 'postgres', secretsContext });
}

function assertNoSecret(t, value, secrets = [SECRET]) {
  const text = JSON.stringify(value);
  for (const secret of secrets) t.false(text.includes(secret), `${secret} leaked: ${text}`);
}

const slot = (source, table, column) => ({ source, targetColumn: { table, column } });

test('the hash is sha256: and 16 hex digits, Buffers hashed by their bytes, null kept, idempotent', (t) => {
  t.regex(HASH, /^sha256:[0-9a-f]{16}$/);
  t.is(hashSecret(Buffer.from(SECRET)), HASH);
  t.is(hashSecret(HASH), HASH);
  t.is(hashSecret(null), null);
  t.not(hashSecret('a'), hashSecret('b'));
});

test('the default secret columns, and extending them', (t) => {
  t.deepEqual([...DEFAULT_SECRET_COLUMNS], ['secrets.encrypted_value', 'triggers.webhook_secret']);
  t.true(defaultSecretColumns.has('triggers', 'webhook_secret'));
  t.false(defaultSecretColumns.has('agents', 'name'));
  const extended = extendSecretColumns(['agents.api_key']);
  t.true(extended.has('agents', 'api_key'));
  t.true(extended.has('secrets', 'encrypted_value'));
  t.throws(() => new SecretColumns(['api_key']), { instanceOf: TypeError, message: /write it as table\.column/ });
});

test('object rows: the secret column is hashed, the rest kept', (t) => {
  const rec = record({
    statement: 'SELECT * FROM triggers WHERE id = ?',
    params: ['t1'],
    primary: { type: 'rows', rows: [{ id: 't1', webhook_secret: SECRET, path: '/a' }] },
    secondary: { type: 'rows', rows: [{ id: 't1', webhook_secret: SECRET, path: '/b' }] },
    secretsContext: { tables: ['triggers'] },
  });
  assertNoSecret(t, rec);
  t.is(rec.primary.rows[0].webhook_secret, HASH);
  t.is(rec.primary.rows[0].path, '/a');
});

test('a differing secret column: both values in the detail are hashed', (t) => {
  const rec = record({
    statement: 'SELECT encrypted_value FROM secrets WHERE name = ?',
    params: ['db'],
    primary: { type: 'rows', rows: [{ encrypted_value: SECRET }] },
    secondary: { type: 'rows', rows: [{ encrypted_value: OTHER }] },
    secretsContext: { tables: ['secrets'] },
  });
  t.is(rec.kind, 'rows');
  t.is(rec.detail.column, 'encrypted_value');
  t.is(rec.detail.primary, HASH);
  assertNoSecret(t, rec, [SECRET, OTHER]);
});

test('raw rows and plucked values: secret positions from the column names, or from per-column flags', (t) => {
  const raw = record({
    statement: 'SELECT id, webhook_secret FROM triggers',
    primary: { type: 'rows', rows: [['t1', SECRET]] },
    secondary: { type: 'rows', rows: [['t1', OTHER]] },
    secretsContext: { tables: ['triggers'], columnNames: ['id', 'webhook_secret'] },
  });
  assertNoSecret(t, raw, [SECRET, OTHER]);
  t.is(raw.primary.rows[0][0], 't1');

  const plucked = record({
    statement: 'SELECT webhook_secret AS s FROM triggers',
    primary: { type: 'rows', rows: [SECRET] },
    secondary: { type: 'rows', rows: [OTHER] },
    secretsContext: { secretResultFlags: [true] },
  });
  assertNoSecret(t, plucked, [SECRET, OTHER]);
});

test('expand rows: the table of each value is known', (t) => {
  const rec = record({
    statement: 'SELECT t.*, w.name FROM triggers t JOIN workflows w ON w.id = t.workflow_id',
    primary: { type: 'rows', rows: [{ triggers: { id: 't1', webhook_secret: SECRET }, workflows: { name: 'w' } }] },
    secondary: { type: 'rows', rows: [{ triggers: { id: 't1', webhook_secret: SECRET }, workflows: { name: 'x' } }] },
  });
  assertNoSecret(t, rec);
  t.is(rec.primary.rows[0].triggers.webhook_secret, HASH);
});

test('a secret read back under an alias is hidden because the statement bound it', (t) => {
  const rec = record({
    statement: 'UPDATE triggers SET webhook_secret = ? WHERE id = ? RETURNING webhook_secret AS s',
    params: [SECRET, 't1'],
    slots: [slot({ kind: 'positional', index: 0 }, 'triggers', 'webhook_secret'), slot({ kind: 'positional', index: 1 }, 'triggers', 'id')],
    primary: { type: 'rows', rows: [{ s: SECRET }] },
    secondary: { type: 'rows', rows: [{ s: `prefix ${SECRET}` }] },
    secretsContext: { tables: ['triggers'] },
  });
  assertNoSecret(t, rec);
  t.deepEqual(rec.params, [HASH, 't1']);
});

test('parameters: positional (also inside arrays), named (@, :, $), ?NNN, Buffers', (t) => {
  const slots = [
    slot({ kind: 'positional', index: 1 }, 'secrets', 'encrypted_value'),
    slot({ kind: 'named', name: 'hook' }, 'triggers', 'webhook_secret'),
    slot({ kind: 'named', name: '3' }, 'triggers', 'webhook_secret'),
    slot({ kind: 'positional', index: 0 }, 'secrets', 'name'),
  ];
  const buffer = Buffer.from(OTHER);
  const { params, secretValues } = redactParams([['name', SECRET], { hook: OTHER, 3: SECRET, plain: 'x' }], slots, defaultSecretColumns);
  t.deepEqual(params, [['name', HASH], { 3: HASH, hook: hashSecret(OTHER), plain: 'x' }]);
  t.is(secretValues.length, 3);
  t.deepEqual(redactParams(['n', buffer], slots, defaultSecretColumns).params, ['n', hashSecret(buffer)]);
});

test('named parameters called like a secret column are hashed even without slots', (t) => {
  const { params } = redactParams([{ webhook_secret: SECRET, id: 't1' }], undefined, defaultSecretColumns);
  t.deepEqual(params, [{ webhook_secret: HASH, id: 't1' }]);
});

test('PostgreSQL key details: the value after a secret column is hashed, other columns kept', (t) => {
  const redaction = { secrets: defaultSecretColumns };
  const one = redactErrorText(`duplicate key value violates unique constraint "t_key"\nDETAIL: Key (webhook_secret)=(${SECRET}) already exists.`, redaction);
  t.false(one.includes(SECRET));
  t.true(one.includes(`Key (webhook_secret)=(${HASH}) already exists.`));
  const two = redactErrorText(`Key (workflow_id, webhook_secret)=(w1, ${SECRET}) already exists.`, redaction);
  t.is(two, `Key (workflow_id, webhook_secret)=(w1, ${HASH}) already exists.`);
  const commas = redactErrorText(`Key (name, encrypted_value)=(db, a, b, ${SECRET}) already exists.`, redaction);
  t.false(commas.includes(SECRET));
  t.is(redactErrorText('Key (name)=(alpha) already exists.', redaction), 'Key (name)=(alpha) already exists.');
});

test('failing rows of a table with secrets are hashed; of other tables kept', (t) => {
  const redaction = { secrets: defaultSecretColumns };
  const secret = redactErrorText(`null value in column "name" of relation "triggers" violates not-null constraint. Failing row contains (t1, null, ${SECRET}).`, redaction);
  t.false(secret.includes(SECRET));
  const plain = 'null value in column "name" of relation "agents" violates not-null constraint. Failing row contains (a1, null, 1).';
  t.is(redactErrorText(plain, redaction), plain);
});

test('error answers: key details, known values and passwords are removed from messages', (t) => {
  const url = 'postgresql://app:pa55word@db:5432/registry';
  const rec = statementDivergence({
    statement: 'INSERT INTO triggers (id, webhook_secret) VALUES (?, ?)',
    params: ['t1', SECRET],
    slots: [slot({ kind: 'positional', index: 0 }, 'triggers', 'id'), slot({ kind: 'positional', index: 1 }, 'triggers', 'webhook_secret')],
    primary: { type: 'run', changes: 1 },
    secondary: { type: 'error', code: 'SQLITE_CONSTRAINT_UNIQUE', message: `duplicate key: Key (webhook_secret)=(${SECRET}) already exists. (value ${SECRET} via postgresql://app:pa55word@db:5432/registry)` },
    difference: { kind: 'error_secondary_only', detail: { code: 'SQLITE_CONSTRAINT_UNIQUE', message: `value ${SECRET} rejected by ${url}` } },
    primarySide: 'sqlite',
    secondarySide: 'postgres',
    secretsContext: { databaseUrl: url },
  });
  assertNoSecret(t, rec, [SECRET, 'pa55word']);
  t.is(rec.params[1], HASH);
});

test('redactAnswer leaves run results alone and does not change the answer it is given', (t) => {
  const answer = { type: 'rows', rows: [{ webhook_secret: SECRET }] };
  const redacted = redactAnswer(answer, { tables: ['triggers'] });
  t.is(answer.rows[0].webhook_secret, SECRET);
  t.is(redacted.rows[0].webhook_secret, HASH);
  t.deepEqual(redactAnswer({ type: 'run', changes: 2 }, {}), { type: 'run', changes: 2 });
});

test('a column named like a secret in a table without secrets is kept', (t) => {
  const answer = { type: 'rows', rows: [{ webhook_secret: 'not-a-secret-here' }] };
  t.is(redactAnswer(answer, { tables: ['agents'] }).rows[0].webhook_secret, 'not-a-secret-here');
  // Without the statement's tables, any column of that name is hidden.
  t.not(redactAnswer(answer, {}).rows[0].webhook_secret, 'not-a-secret-here');
});
