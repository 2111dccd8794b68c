import { seed } from './schema.mjs';

export default function (test, backend) {
  const it = (title, fn) => test(`${backend.name} › errors › ${title}`, fn);
  const fails = (t, fn, code) => {
    const error = t.throws(fn, { any: true });
    t.is(error.name, 'SqliteError');
    t.true(error instanceof backend.SqliteError);
    t.is(error.code, code);
    return error;
  };

  it('constraint violations carry better-sqlite3\'s codes', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const pk = fails(t, () => db.prepare("INSERT INTO workflows (id, name, version, path, steps) VALUES ('wf-1', 'x', '1', '/x', '[]')").run(), 'SQLITE_CONSTRAINT_PRIMARYKEY');
    t.regex(pk.message, /UNIQUE constraint failed: workflows\.id/);
    const unique = fails(t, () => db.prepare("INSERT INTO workflows (id, name, version, path, steps) VALUES ('wf-8', 'build', '1.0.0', '/x', '[]')").run(), 'SQLITE_CONSTRAINT_UNIQUE');
    t.regex(unique.message, /UNIQUE constraint failed: workflows\.name, workflows\.version/);
    const notNull = fails(t, () => db.prepare("INSERT INTO workflows (id, name, version, path) VALUES ('wf-8', 'n', '1', '/x')").run(), 'SQLITE_CONSTRAINT_NOTNULL');
    t.regex(notNull.message, /NOT NULL constraint failed: workflows\.steps/);
    fails(t, () => db.prepare("INSERT INTO workflow_runs (id, workflow_id) VALUES ('run-9', 'wf-missing')").run(), 'SQLITE_CONSTRAINT_FOREIGNKEY');
    fails(t, () => db.prepare("INSERT INTO checked (id, score) VALUES ('c', -1)").run(), 'SQLITE_CONSTRAINT_CHECK');
  });

  it('a failed write changes nothing', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.throws(() => db.prepare("UPDATE workflows SET name = 'build', version = '1.0.0' WHERE id = 'wf-2'").run(), { any: true });
    t.is(db.prepare("SELECT name FROM workflows WHERE id = 'wf-2'").pluck().get(), 'Deploy');
  });

  it('errors name the missing column', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const error = fails(t, () => db.prepare('SELECT no_such_column FROM workflows'), 'SQLITE_ERROR');
    t.regex(error.message, /no_such_column/);
  });
}
