// DDL, PRAGMA, transactions: the expected SQL, then run on PostgreSQL (and compared with SQLite where rows come back).
import test from 'ava';
import { openDatabases, translator, runPg, runSqlite, normalizeRows, REGISTRY_DDL } from './40.translator.fixture.mjs';

const { translate } = translator;

test.before(async (t) => {
  t.context.db = await openDatabases();
});
test.after.always(async (t) => t.context.db?.close());

test('the registry DDL maps types as docs/api.md (Column types) says', (t) => {
  const empty = { schema: 'engine_registry', tables: new Map() };
  const tr = translate(REGISTRY_DDL.find((s) => s.includes('CREATE TABLE workflow_runs')), empty);
  t.is(tr.kind, 'ddl');
  t.true(tr.changesSchema);
  t.deepEqual(tr.tables, ['workflow_runs']);
  // The table, then what assigns its rowid (a DO block): the hidden column comes last.
  const [table, rowid] = tr.text.split(';\n');
  t.regex(rowid, /^DO .*CREATE UNIQUE INDEX IF NOT EXISTS "workflow_runs_sqlite_rowid" .*CREATE TRIGGER "_sqlite_rowid" BEFORE INSERT ON "engine_registry"."workflow_runs" .*\('_rowid_'\)/);
  t.is(table, `CREATE TABLE "workflow_runs" (
  "id" text COLLATE "C" PRIMARY KEY,
  "workflow_id" text COLLATE "C" NOT NULL REFERENCES "workflows" ("id") DEFERRABLE INITIALLY IMMEDIATE,
  "workflow_version" text COLLATE "C",
  "status" text COLLATE "C" NOT NULL DEFAULT 'pending',
  "current_step" text COLLATE "C",
  "trigger_type" text COLLATE "C",
  "trigger_data" jsonb,
  "step_results" jsonb DEFAULT '{}'::jsonb,
  "started_at" timestamp with time zone,
  "completed_at" timestamp with time zone,
  "error" text COLLATE "C",
  "error_step" text COLLATE "C",
  "total_vm_time_ms" bigint DEFAULT 0,
  "total_api_tokens" bigint DEFAULT 0,
  "created_at" timestamp with time zone DEFAULT date_trunc('second', NOW()),
  "_rowid_" bigint NOT NULL
)`);
});

test.serial('loadCatalog reads keys, unique constraints, FKs, and the timestamp format comment', async (t) => {
  const { db } = t.context;
  const agents = db.catalog.tables.get('agents');
  t.deepEqual(agents.primaryKey, ['id']);
  t.deepEqual(agents.uniqueKeys, [['name', 'version']]);
  t.deepEqual(db.catalog.tables.get('triggers').uniqueKeys, [['webhook_path']]);
  t.deepEqual(db.catalog.tables.get('step_executions').foreignKeys.map((f) => f.references).sort(), ['agents', 'workflow_runs']);
  t.is(agents.columns.find((c) => c.name === 'created_at').timestampFormat, 'sqlite');
  await db.client.query("COMMENT ON COLUMN agents.updated_at IS 'sqlite-format=iso'");
  await db.client.query('CREATE UNIQUE INDEX agents_path ON agents (path)');
  const catalog = await db.reloadCatalog();
  t.is(catalog.tables.get('agents').columns.find((c) => c.name === 'updated_at').timestampFormat, 'iso');
  t.deepEqual(catalog.tables.get('agents').uniqueKeys, [['name', 'version'], ['path']]);
  t.is(catalog.tables.get('agents').columns.find((c) => c.name === 'memory_mb').type, 'bigint');
});

test.serial('CREATE TABLE IF NOT EXISTS with AUTOINCREMENT, CHECK, table constraints, DEFAULT expressions', async (t) => {
  const { db } = t.context;
  const sql = `CREATE TABLE IF NOT EXISTS [notes] (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT,
    flag BOOLEAN NOT NULL DEFAULT 0 CHECK (flag IN (0, 1)),
    body BLOB,
    stamp TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (run_id, flag),
    FOREIGN KEY (run_id) REFERENCES workflow_runs(id) ON DELETE CASCADE
  )`;
  const tr = translate(sql, db.catalog);
  // The INTEGER PRIMARY KEY is the rowid: no hidden column, the trigger numbers n.
  const [table, rowid] = tr.text.split(';\n');
  t.regex(rowid, /^DO .*CREATE TRIGGER "_sqlite_rowid" .*\('n'\)/);
  t.is(table, `CREATE TABLE IF NOT EXISTS "notes" (
  "n" bigint PRIMARY KEY,
  "run_id" text COLLATE "C",
  "flag" boolean NOT NULL DEFAULT false CHECK (flag IN (false, true)),
  "body" bytea,
  "stamp" text COLLATE "C" DEFAULT ((to_char((now() AT TIME ZONE 'UTC'), 'YYYY"-"MM"-"DD"T"HH24":"MI":"SS.MS"Z"'))),
  "at" timestamp with time zone DEFAULT date_trunc('second', NOW()),
  UNIQUE ("run_id", "flag"),
  FOREIGN KEY ("run_id") REFERENCES "workflow_runs" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
)`);
  await runPg(db, tr);
  await runPg(db, tr); // IF NOT EXISTS: idempotent
  await db.reloadCatalog();
  const ins = translate("INSERT INTO notes (run_id, flag, body) VALUES ('r1', 1, X'00ff')", db.catalog);
  await runPg(db, ins);
  const { rows } = await db.client.query('SELECT n, flag, body FROM notes');
  t.deepEqual(rows, [{ n: 1, flag: 1, body: Buffer.from([0, 255]) }]);
});

test.serial('CREATE INDEX, ALTER TABLE ADD COLUMN / RENAME, DROP', async (t) => {
  const { db } = t.context;
  const idx = translate('CREATE UNIQUE INDEX IF NOT EXISTS idx_runs_status ON workflow_runs (status, created_at DESC) WHERE status IS NOT NULL', db.catalog);
  t.is(idx.text, 'CREATE UNIQUE INDEX IF NOT EXISTS idx_runs_status ON "workflow_runs" (status, created_at DESC) WHERE status IS NOT NULL');
  await runPg(db, translate('CREATE INDEX IF NOT EXISTS idx_agents_name ON agents (name COLLATE NOCASE)', db.catalog));
  const add = translate('ALTER TABLE agents ADD COLUMN retries INTEGER NOT NULL DEFAULT 3', db.catalog);
  t.is(add.text, 'ALTER TABLE agents ADD COLUMN "retries" bigint NOT NULL DEFAULT 3');
  t.true(add.changesSchema);
  await runPg(db, add);
  await runPg(db, translate('ALTER TABLE notes RENAME TO notes2', db.catalog));
  const drop = translate('DROP TABLE IF EXISTS notes2', db.catalog);
  t.is(drop.text, 'DROP TABLE IF EXISTS notes2');
  await runPg(db, drop);
  await runPg(db, translate('DROP INDEX IF EXISTS idx_agents_name', db.catalog));
  const names = (await runPg(db, translate("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name", db.catalog))).rows.map((r) => r.name);
  t.deepEqual(names, ['agents_path']);
  await db.reloadCatalog();
});

test('triggers and virtual tables are TranslationErrors naming them', (t) => {
  const { catalog } = t.context.db;
  t.throws(() => translate('CREATE TRIGGER tr AFTER INSERT ON agents BEGIN SELECT 1; END', catalog), { message: /CREATE TRIGGER/ });
  t.throws(() => translate('CREATE VIRTUAL TABLE f USING fts5(x)', catalog), { message: /CREATE VIRTUAL TABLE/ });
  t.throws(() => translate('CREATE TABLE x (a TEXT COLLATE NOCASE)', catalog), { message: /COLLATE NOCASE/ });
});

test('transactions name their operation', (t) => {
  const { catalog } = t.context.db;
  const cases = [
    ['BEGIN', { op: 'begin', mode: 'deferred' }, 'BEGIN'],
    ['BEGIN IMMEDIATE TRANSACTION', { op: 'begin', mode: 'immediate' }, 'BEGIN'],
    ['begin exclusive', { op: 'begin', mode: 'exclusive' }, 'BEGIN'],
    ['COMMIT', { op: 'commit' }, 'COMMIT'],
    ['END TRANSACTION', { op: 'commit' }, 'COMMIT'],
    ['ROLLBACK', { op: 'rollback' }, 'ROLLBACK'],
    ['SAVEPOINT sp1', { op: 'savepoint', name: 'sp1' }, 'SAVEPOINT "sp1"'],
    ['RELEASE sp1', { op: 'release', name: 'sp1' }, 'RELEASE SAVEPOINT "sp1"'],
    ['RELEASE SAVEPOINT sp1', { op: 'release', name: 'sp1' }, 'RELEASE SAVEPOINT "sp1"'],
    ['ROLLBACK TO sp1', { op: 'rollback_to', name: 'sp1' }, 'ROLLBACK TO SAVEPOINT "sp1"'],
    ['ROLLBACK TRANSACTION TO SAVEPOINT sp1', { op: 'rollback_to', name: 'sp1' }, 'ROLLBACK TO SAVEPOINT "sp1"'],
  ];
  for (const [sql, op, text] of cases) {
    const tr = translate(sql, catalog);
    t.is(tr.kind, 'transaction', sql);
    t.deepEqual(tr.transaction, op, sql);
    t.is(tr.text, text, sql);
  }
});

test.serial('PRAGMAs answer what SQLite answers', async (t) => {
  const { db } = t.context;
  for (const sql of ['PRAGMA table_info(workflows)', 'PRAGMA foreign_keys', 'PRAGMA journal_mode', 'PRAGMA synchronous', 'PRAGMA index_list(triggers)', 'PRAGMA integrity_check', 'PRAGMA foreign_key_check']) {
    const tr = translate(sql, db.catalog);
    t.is(tr.kind, 'pragma');
    t.true(tr.reader, sql);
    const pg = await runPg(db, tr);
    const lite = runSqlite(db, sql);
    t.deepEqual(pg.fields, lite.fields, sql);
    if (!sql.includes('journal_mode')) t.deepEqual(normalizeRows(pg.rows), normalizeRows(lite.rows), sql);
  }
});

test.serial('PRAGMA foreign_keys = ON is a no-op, = OFF says why it cannot be honoured', (t) => {
  const { catalog } = t.context.db;
  const on = translate('PRAGMA foreign_keys = ON', catalog);
  t.true(on.noop);
  t.false(on.reader);
  const e = t.throws(() => translate('PRAGMA foreign_keys = OFF', catalog));
  t.regex(e.message, /always enforces foreign keys/);
  t.true(translate('PRAGMA synchronous = NORMAL', catalog).noop);
  t.deepEqual(translate('PRAGMA journal_mode = WAL', catalog).reader, true);
});

test.serial('PRAGMA user_version reads 0 before the meta table exists, then what was written', async (t) => {
  const { db } = t.context;
  const read = translate('PRAGMA user_version', db.catalog);
  t.deepEqual((await runPg(db, read)).rows, [{ user_version: 0 }]);
  const write = translate('PRAGMA user_version = 7', db.catalog);
  t.false(write.readonly);
  t.false(write.reader);
  await runPg(db, write);
  await runPg(db, translate('PRAGMA main.user_version = 8', db.catalog));
  t.deepEqual((await runPg(db, read)).rows, [{ user_version: 8 }]);
  t.deepEqual((await runPg(db, translate("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%registry_meta%'", db.catalog))).rows, [{ n: 0 }]);
});
