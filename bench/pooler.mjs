// What REGISTRY_PG_POOLER=transaction costs: the same registry statements on the synchronous
// facade and AsyncDatabase with the setting off and on, straight to PostgreSQL, and with it on
// through a real PgBouncer in transaction mode when the `pgbouncer` binary is installed.
// With the setting on, a statement outside a transaction carries BEGIN, the set-up and COMMIT in
// its round trip, every statement is parsed again (unnamed), and every transaction starts with the set-up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database, { AsyncDatabase } from 'swarm-registry-adapter';
import { compare } from './lib.mjs';
import { asyncFacade, seed, syncFacade } from './postgres.mjs';
import { pgbouncerMissing, startPgBouncer } from '../test/helpers/pgbouncer.mjs';

/** Returns { rows, rounds, through, skipped } for printTable, baseline 'sync' (setting off, direct). */
export async function benchPooler(url, { rounds = 9, ops = 500, txOps = 60 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-bench-pooler-'));
  const skipped = pgbouncerMissing();
  const bouncer = skipped ? null : await startPgBouncer(url, { poolMode: 'transaction', poolSize: 10 });
  const opened = [];
  const sync = (tag, options) => {
    const schema = `bench_pooler_${tag}`;
    seed(url, schema, path.join(dir, `${tag}-seed.db`)).close();
    const db = new Database(path.join(dir, `${tag}.db`), { backend: 'postgres', databaseUrl: url, pgSchema: schema, ...options });
    opened.push(() => db.close());
    return syncFacade(db, tag);
  };
  const async = async (tag, options) => {
    const schema = `bench_pooler_${tag}`;
    seed(url, schema, path.join(dir, `${tag}-seed.db`)).close();
    const db = new AsyncDatabase(path.join(dir, `${tag}.db`), { backend: 'postgres', databaseUrl: url, pgSchema: schema, pgPoolSize: 10, ...options });
    opened.push(() => db.close());
    return asyncFacade(db, tag);
  };
  const on = { pgPooler: 'transaction' };
  const contenders = {
    sync: sync('s0', {}),
    'sync, pooler=transaction': sync('s1', on),
    async: await async('a0', {}),
    'async, pooler=transaction': await async('a1', on),
  };
  if (bouncer) {
    const via = { ...on, databaseUrl: bouncer.urlFor(url) };
    contenders['sync via PgBouncer'] = sync('s2', via);
    contenders['async via PgBouncer'] = await async('a2', via);
  }
  const rows = [];
  try {
    for (const op of Object.keys(contenders.sync)) {
      const picked = Object.fromEntries(Object.entries(contenders).map(([name, o]) => [name, o[op]]));
      rows.push({ name: op, results: await compare(picked, { ops: op.startsWith('transaction') ? txOps : ops, rounds }) });
    }
  } finally {
    for (const close of opened) await close();
    await bouncer?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, rounds, through: bouncer !== null, skipped };
}
