// How an ES module uses the package, written the way programs use better-sqlite3 with
// @types/better-sqlite3: each line must compile (or, under @ts-expect-error, must not).
import Database, { AsyncDatabase, ConfigurationError, SqliteError, TranslationError } from 'swarm-registry-adapter';
import type { BackupMetadata, RunResult, ShadowStats, Statement, StatusJson } from 'swarm-registry-adapter';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(): void {}

interface Agent {
  id: string;
  name: string;
  version: string;
}

// Opening: with or without `new`, better-sqlite3's options and ours.
const options: Database.Options = { readonly: false, fileMustExist: false, timeout: 5000, verbose: console.log };
const db: Database.Database = new Database('registry.db', options);
const same = Database(':memory:');
const onPostgres = new Database('registry.db', { backend: 'postgres', databaseUrl: 'postgresql://localhost/x', pgPoolSize: 4 });
expectType<Equal<typeof same, Database.Database>>();
expectType<Equal<typeof onPostgres.inTransaction, boolean>>();
expectType<Equal<ReturnType<typeof db.exec>, Database.Database>>();

// prepare<BindParameters, Result>: positional tuples, named objects, and the defaults.
const byId = db.prepare<[string], Agent>('SELECT * FROM agents WHERE id = ?');
expectType<Equal<typeof byId, Database.Statement<[string], Agent>>>();
expectType<Equal<ReturnType<typeof byId.get>, Agent | undefined>>();
expectType<Equal<ReturnType<typeof byId.all>, Agent[]>>();
expectType<Equal<ReturnType<typeof byId.iterate>, IterableIterator<Agent>>>();
for (const agent of byId.iterate('a1')) expectType<Equal<typeof agent, Agent>>();
const byName = db.prepare<{ name: string; version: string }, Agent>('SELECT * FROM agents WHERE name = @name AND version = @version');
const found = byName.get({ name: 'n', version: '1' });
expectType<Equal<typeof found, Agent | undefined>>();
const loose = db.prepare('SELECT 1');
expectType<Equal<typeof loose, Statement>>();
expectType<Equal<typeof loose, Database.Statement<unknown[], unknown>>>();
loose.all(1, 'two', null, Buffer.from('three'), 4n);

// run() and RunResult.
const insert = db.prepare<[string, string, string]>('INSERT INTO agents (id, name, version) VALUES (?, ?, ?)');
const info: RunResult = insert.run('a1', 'agent', '1.0.0');
const alsoInfo: Database.RunResult = info;
expectType<Equal<typeof alsoInfo.lastInsertRowid, number | bigint>>();
expectType<Equal<typeof info.changes, number>>();

// Row modes, bind, columns, safe integers: each returns the statement for chaining.
const names = db.prepare<[], string>('SELECT name FROM agents').pluck();
expectType<Equal<typeof names, Database.Statement<[], string>>>();
db.prepare('SELECT * FROM agents').raw(true).all();
db.prepare('SELECT * FROM agents').expand().all();
const bound = db.prepare<[string], Agent>('SELECT * FROM agents WHERE id = ?').bind('a1');
bound.safeIntegers(true).get('a1');
const columns = byId.columns();
expectType<Equal<(typeof columns)[number]['table'], string | null>>();
expectType<Equal<typeof byId.source, string>>();
expectType<Equal<typeof byId.reader, boolean>>();

// Transactions keep their arguments and result.
const insertMany = db.transaction((agents: Agent[], tag: string): number => {
  for (const a of agents) insert.run(a.id, `${a.name}-${tag}`, a.version);
  return agents.length;
});
const inserted = insertMany([{ id: 'a2', name: 'b', version: '1' }], 'x');
expectType<Equal<typeof inserted, number>>();
insertMany.immediate([], 'y');
insertMany.deferred([], 'y');
insertMany.exclusive([], 'y');
insertMany.default([], 'y');
const typed: Database.Transaction<(agents: Agent[], tag: string) => number> = insertMany;
void typed;

// pragma, user functions, aggregates, virtual tables, backup, serialize (SQLite's members).
const mode = db.pragma('journal_mode', { simple: true });
expectType<Equal<typeof mode, unknown>>();
db.pragma('foreign_keys = ON');
db.function('noop', () => {});
db.function('add', { deterministic: true, varargs: false }, (a: number, b: number) => a + b);
db.aggregate('total', { start: 0, step: (sum, next) => sum + next, result: (sum) => Math.round(sum) });
db.aggregate('addAll', { start: 0, step: (t, n) => t + n, inverse: (t, d) => t - d, deterministic: true });
db.table('numbers', {
  columns: ['n'],
  *rows() {
    yield { n: 1 };
  },
});
const backup: Promise<BackupMetadata> = db.backup('copy.db', { progress: ({ totalPages, remainingPages }) => totalPages - remainingPages });
void backup;
const image: Buffer = db.serialize();
void image;
db.defaultSafeIntegers().unsafeMode(false).loadExtension('ext.so');
expectType<Equal<ReturnType<typeof db.close>, Database.Database>>();

// Errors: better-sqlite3's SqliteError, and ours.
try {
  db.exec('INSERT INTO nowhere VALUES (1)');
} catch (error) {
  if (error instanceof SqliteError) expectType<Equal<typeof error.code, string>>();
  if (error instanceof Database.SqliteError) void error.message;
  if (error instanceof TranslationError) expectType<Equal<typeof error.construct, string>>();
  if (error instanceof ConfigurationError) expectType<Equal<typeof error.variable, string>>();
}
const made: Database.SqliteError = new Database.SqliteError('disk full', 'SQLITE_FULL');
void made;

// Shadow mode's counters.
const stats = db.shadowStats();
expectType<Equal<typeof stats, ShadowStats | undefined>>();
if (stats) expectType<Equal<typeof stats.gaps, number>>();

// The promise API.
const adb: Database.AsyncDatabase = new AsyncDatabase('registry.db', { backend: 'postgres' });
const asyncById = await adb.prepare<[string], Agent>('SELECT * FROM agents WHERE id = ?');
expectType<Equal<Awaited<ReturnType<typeof asyncById.get>>, Agent | undefined>>();
expectType<Equal<Awaited<ReturnType<typeof asyncById.all>>, Agent[]>>();
const asyncInfo: RunResult = await (await adb.prepare<[string]>('DELETE FROM agents WHERE id = ?')).run('a1');
void asyncInfo;
for await (const agent of asyncById.iterate('a1')) expectType<Equal<typeof agent, Agent>>();
const count = await adb.transaction(async () => (await asyncById.all('a1')).length, 'immediate');
expectType<Equal<typeof count, number>>();
await adb.exec('VACUUM');
await adb.close();

// The CLI's --json documents.
const status = JSON.parse('{}') as StatusJson;
expectType<Equal<typeof status.ok, boolean>>();
for (const check of status.checks) expectType<Equal<typeof check.status, 'passed' | 'failed' | 'skipped'>>();
const report = JSON.parse('{}') as Database.ReportJson;
expectType<Equal<typeof report.totals.divergences, number>>();

// What must not compile.
// @ts-expect-error a [string] statement takes a string
byId.get(42);
// @ts-expect-error a [string] statement takes one argument
byId.all();
// @ts-expect-error Agent has no such property
byId.get('a1')?.missing;
// @ts-expect-error the row may be undefined
byId.get('a1').name;
// @ts-expect-error better-sqlite3's misspelling check, at compile time too
new Database('x.db', { readOnly: true });
// @ts-expect-error not a backend
new Database('x.db', { backend: 'mysql' });
// @ts-expect-error the toggle is a boolean
byId.pluck('yes');
// @ts-expect-error the transaction's arguments are typed
insertMany('not an array', 'x');
// @ts-expect-error shadowStats() is undefined outside shadow mode
db.shadowStats().gaps;
// @ts-expect-error a named-parameter statement takes one object
byName.get('n', '1');
