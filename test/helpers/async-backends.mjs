// How the AsyncDatabase tests open a fresh database on each backend: SQLite (a temporary file) and
// PostgreSQL (one database per test file, one fresh schema per test).
import path from 'node:path';
import { AsyncDatabase } from 'swarm-registry-adapter';
import { tempDir } from './backends.mjs';
import { createTestDatabase } from './pg.mjs';

export function asyncBackends(test) {
  let database;
  test.after.always(async () => {
    if (database) await (await database).drop();
  });
  let schemas = 0;
  return [
    {
      name: 'sqlite',
      async open(t, options = {}) {
        const db = new AsyncDatabase(path.join(tempDir(t), 'registry.db'), { backend: 'sqlite', ...options });
        t.teardown(() => db.open && db.close());
        return db;
      },
    },
    {
      name: 'postgres',
      async open(t, options = {}) {
        database ??= createTestDatabase();
        const { url } = await database;
        const pgSchema = `a${process.pid}_${++schemas}`;
        const db = new AsyncDatabase(path.join(tempDir(t), 'registry.db'), { backend: 'postgres', databaseUrl: url, pgSchema, pgTimeoutMs: 20000, ...options });
        t.teardown(() => db.open && db.close());
        db.testSchema = pgSchema;
        db.testUrl = url;
        return db;
      },
    },
  ];
}
