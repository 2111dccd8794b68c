// One process of the registry's workload, for the test that runs several at once through a pooler:
//   node pooler-workload.mjs <databaseUrl> <schema> <worker number> <rounds>
// Every call's failure is counted, not thrown; prints one JSON line { calls, failures }.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database, AsyncDatabase } from 'swarm-registry-adapter';

const [databaseUrl, pgSchema, worker, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-pooler-'));
const options = { backend: 'postgres', databaseUrl, pgSchema, pgPooler: 'transaction', pgTimeoutMs: 20000 };
let calls = 0;
const failures = [];
const call = async (what, fn) => {
  calls++;
  try {
    return await fn();
  } catch (error) {
    failures.push(`${what}: ${error.message}`);
    return undefined;
  }
};

const db = new Database(path.join(dir, 'registry.db'), options);
const adb = new AsyncDatabase(path.join(dir, 'registry.db'), options);
const insert = db.prepare('INSERT INTO agents (id, name, memory_mb, capabilities, updated_at) VALUES (?, ?, ?, ?, ?)');
const get = db.prepare('SELECT * FROM agents WHERE id = ?');
const list = db.prepare('SELECT id, name, memory_mb FROM agents WHERE name = ? ORDER BY id LIMIT 10');
const bump = db.prepare('UPDATE agents SET memory_mb = memory_mb + 1 WHERE id = ?');
for (let round = 0; round < rounds; round++) {
  const id = `w${worker}-r${round}`;
  await call('insert', () => insert.run(id, `worker-${worker}`, 100, JSON.stringify({ round }), new Date().toISOString()));
  await call('get', () => {
    const row = get.get(id);
    if (row?.memory_mb !== 100 || JSON.parse(row.capabilities).round !== round) throw new Error(`get(${id}) read ${JSON.stringify(row)}`);
  });
  await call('list', () => list.all(`worker-${worker}`));
  await call('update', () => bump.run(id));
  await call('immediate transaction', () => db.transaction(() => {
    bump.run(id);
    bump.run(id);
  }).immediate());
  await call('failing statement inside a transaction', () => db.transaction(() => {
    try {
      insert.run(id, 'duplicate', 1, null, null);
      throw new Error('the duplicate insert succeeded');
    } catch (error) {
      if (error.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
    }
    bump.run(id);
  })());
  await call('iterate', () => {
    let n = 0;
    for (const row of db.prepare('SELECT id FROM agents WHERE name = ?').iterate(`worker-${worker}`)) n += row.id ? 1 : 0;
    if (n !== round + 1) throw new Error(`iterate saw ${n} rows, expected ${round + 1}`);
  });
  await call('async get', async () => {
    const row = await (await adb.prepare('SELECT memory_mb FROM agents WHERE id = ?')).get(id);
    if (row?.memory_mb !== 104) throw new Error(`async get(${id}) read ${JSON.stringify(row)}`);
  });
  await call('async transaction', () => adb.transaction(async () => {
    await (await adb.prepare('UPDATE agents SET memory_mb = memory_mb - 4 WHERE id = ?')).run(id);
  }, 'immediate'));
  await call('final get', () => {
    if (get.get(id)?.memory_mb !== 100) throw new Error(`get(${id}) after the transactions read ${JSON.stringify(get.get(id))}`);
  });
}
db.close();
await adb.close();
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ calls, failures })}\n`);
