// verify's chunk assignment (src/migrate/snapshot/checksum-reader.ts, src/migrate/canonical/checksum-sql.ts): SQLite reads each
// table in rowid order, split between two threads, and puts each row in its key range by binary
// search over the boundaries; PostgreSQL does the same with width_bucket in one scan. Both must
// put every key in the same chunk — keys whose rowid order is not their key order, keys that sort
// differently by byte than by locale, keys that are themselves chunk boundaries — and verify must
// still find and repair every difference.
import test from 'ava';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { REGISTRY_SQLITE_DDL } = require('../dist/schema/index.js');
const { runInit, runBackfill, runVerify, findMigrationTable, compareKeys, sumToHex, ChecksumTableReader, addChecksums, chunkOf, postgresChunkedChecksumSql } = require('../dist/migrate/index.js');

// Byte order and a locale's order disagree on most of these pairs ('B' < 'a' by byte, not in en_US;
// U+E000 < U+FFFD < '😀' by UTF-8 byte, while UTF-16 puts '😀' first).
const KEYS = ['a', 'B', 'b', 'A', 'é', 'f', 'e\u0301', '😀', '\uFFFD', '\uE000', 'z', 'Z', '0', 'a a', 'a-b', 'ab', 'Ä', '~',
  ...Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, '0')}`)];

function registry(t) {
  const file = path.join(tempDir(t), 'registry.db');
  const db = new Database(file);
  db.exec(REGISTRY_SQLITE_DDL);
  const insert = db.prepare('INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status) VALUES (?, ?, ?, ?)');
  // Inserted in a shuffled order (a fixed one), so that rowid order is neither key order nor its reverse.
  const shuffled = KEYS.map((k, i) => [k, (i * 7919) % 31]).sort((x, y) => x[1] - y[1]).map(([k]) => k);
  for (const key of shuffled) insert.run(key, `t-${key}`, '2024-01-01', 'running');
  db.close();
  return file;
}

test('both sides put every key in the same chunk, whatever the rowid order, byte order or boundaries', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = registry(t);
  const settings = { registryDb: file, databaseUrl: url, pgSchema: 'engine_registry' };
  await runInit(settings);
  await runBackfill(settings);
  const table = findMigrationTable('vm_assignments');
  const sorted = [...KEYS].sort(compareKeys);
  const db = new Database(file, { readonly: true });
  t.teardown(() => db.close());
  await withClient(url, async (c) => {
    for (const chunkRows of [1, 2, 3, 7, 30, 5000]) {
      const reader = new ChecksumTableReader(db, table);
      const bounds = reader.boundaries(chunkRows);
      t.deepEqual(bounds, sorted.filter((_, i) => (i + 1) % chunkRows === 0), 'every chunkRows-th key by byte');
      const whole = reader.checksums();
      t.deepEqual(addChecksums(reader.checksums('lower'), reader.checksums('upper')), whole, 'two halves add up to the whole');
      t.deepEqual(whole.counts, Array.from({ length: bounds.length + 1 }, (_, i) => sorted.filter((k) => chunkOf(bounds, k) === i).length));
      for (const key of bounds) t.is(bounds[chunkOf(bounds, key)], key, 'a boundary key ends its chunk');
      const { rows } = await c.query(postgresChunkedChecksumSql('engine_registry', table), [bounds]);
      const postgres = whole.counts.map((_, i) => rows.find((r) => r.c === i) ?? { n: 0, h: null });
      t.deepEqual(postgres.map((r) => r.n), whole.counts, `PostgreSQL's counts, chunks of ${chunkRows}`);
      t.deepEqual(postgres.map((r) => sumToHex(r.h)), whole.hashes, `PostgreSQL's sums, chunks of ${chunkRows}`);
      t.is(rows.length, whole.counts.filter((n) => n > 0).length, 'no row in a chunk out of range');
      t.true((await runVerify({ ...settings, chunkRows })).clean, `clean in chunks of ${chunkRows}`);
    }
  });

  // Differences at boundaries (chunks of 3: every third key by byte ends a chunk) and beyond either end.
  await withClient(url, async (c) => {
    const q = (sql, params) => c.query(sql.replace(' T ', ' engine_registry.vm_assignments '), params);
    await q('UPDATE T SET status = $2 WHERE vm_id = $1', [sorted[2], 'changed']); // a boundary
    await q('DELETE FROM T WHERE vm_id = $1', [sorted[5]]); // a boundary, missing in PostgreSQL
    await q('DELETE FROM T WHERE vm_id = $1', [sorted[sorted.length - 1]]); // the last key
    for (const key of [' ', '\u{10FFFF}', 'aA', 'Ab']) await q("INSERT INTO T (vm_id, ticket_id, assigned_at) VALUES ($1, 'x', '2024-01-01')", [key]);
  });
  for (const chunkRows of [1, 3, 4, 5000]) {
    const dirty = await runVerify({ ...settings, chunkRows });
    t.like(dirty.tables.find((x) => x.table === 'vm_assignments'), { different: 1, missing: 2, extra: 4 }, `chunks of ${chunkRows}`);
  }
  const repaired = await runVerify({ ...settings, chunkRows: 3, repair: 'postgres' });
  t.false(repaired.clean);
  for (const chunkRows of [1, 3, 5000]) t.true((await runVerify({ ...settings, chunkRows })).clean, `repaired, chunks of ${chunkRows}`);
});
