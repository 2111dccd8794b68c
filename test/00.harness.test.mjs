import test from 'ava';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

test('the run has a real PostgreSQL, and each test gets a database of its own', async (t) => {
  const { url, name } = await createTestDatabase(t);
  const row = await withClient(url, (c) => c.query('SELECT current_database() AS db, version() AS v'));
  t.is(row.rows[0].db, name);
  t.regex(row.rows[0].v, /^PostgreSQL \d+/);
});
