// Each test file gets databases of its own on the run's server, so files run in parallel safely.
import crypto from 'node:crypto';
import pg from 'pg';

export function serverUrl() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test` (it starts an embedded PostgreSQL).');
  return url;
}

/** Creates an empty database and returns its URL; dropped when the test (or file, with `t` omitted) ends. */
export async function createTestDatabase(t) {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
  const drop = () => dropTestDatabase(name);
  if (t) t.teardown(drop);
  return { url: testDatabaseUrl(name), name, drop };
}

/** The URL of database `name` on the run's server. */
export function testDatabaseUrl(name) {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops database `name` of the run's server, closing its connections. */
export async function dropTestDatabase(name) {
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  try { await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } finally { await c.end(); }
}

/** Runs fn with a connected pg.Client on url, then closes it. */
export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return await fn(client); } finally { await client.end(); }
}
