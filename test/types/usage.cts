// How a CommonJS module uses the package: `import x = require()` (what `require()` compiles to).
import Database = require('swarm-registry-adapter');

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(): void {}

interface Workflow {
  id: string;
  steps: string;
}

const db: Database.Database = new Database('registry.db', { backend: 'shadow', primary: 'sqlite', shadowSample: 0.1 });
const also: Database.Database = Database.Database(':memory:');
expectType<Equal<typeof db, typeof also>>();
const { AsyncDatabase, SqliteError } = Database;

const get = db.prepare<[string], Workflow>('SELECT id, steps FROM workflows WHERE id = ?');
const row = get.get('wf1');
expectType<Equal<typeof row, Workflow | undefined>>();
const info: Database.RunResult = db.prepare('DELETE FROM workflows').run();
expectType<Equal<typeof info.changes, number>>();
const save = db.transaction((wf: Workflow) => db.prepare<[string, string]>('INSERT INTO workflows (id, steps) VALUES (?, ?)').run(wf.id, wf.steps));
expectType<Equal<ReturnType<typeof save>, Database.RunResult>>();
const stats: Database.ShadowStats | undefined = db.shadowStats();
void stats?.divergedByKind;
const meta: Promise<Database.BackupMetadata> = db.backup('copy.db');
void meta;

try {
  get.all('wf1');
} catch (error) {
  if (error instanceof SqliteError) expectType<Equal<typeof error.code, string>>();
}

async function asyncUse(): Promise<number> {
  const adb = new AsyncDatabase('registry.db');
  const stmt = await adb.prepare<{ id: string }, Workflow>('SELECT * FROM workflows WHERE id = @id');
  const rows = await stmt.all({ id: 'wf1' });
  expectType<Equal<typeof rows, Workflow[]>>();
  await adb.close();
  return rows.length;
}
void asyncUse;

const failure = JSON.parse('{}') as Database.FailureJson;
expectType<Equal<typeof failure.ok, false>>();
const verify = JSON.parse('{}') as Database.VerifyJson;
expectType<Equal<typeof verify.clean, boolean>>();

// @ts-expect-error a [string] statement takes a string
get.get(1);
// @ts-expect-error not a primary
new Database('x.db', { primary: 'mysql' });
// @ts-expect-error the transaction takes a Workflow
save('wf1');

export {};
