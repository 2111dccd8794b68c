/**
 * Generates a registry file shaped like production's: every table, JSON of nested objects, blobs,
 * booleans, timestamps in both of SQLite's text formats, VM ids bound as numbers (stored '2.0'),
 * text with tabs, newlines, backslashes and non-ASCII, and keys whose byte order differs from a
 * locale's. On request it adds what a loose registry carries: orphan rows and loose values.
 * Used by the tests, the benchmark and the demo.
 */
import { REGISTRY_SQLITE_DDL } from '../../schema';
import { loadBetterSqlite3 } from '../core';
import type { SeedOptions } from './options';
import { SEED_ROWS, type SeedContext } from './rows';
export type { SeedOptions };


/** Share of the rows per table, parents first. */
const SHARES: ReadonlyArray<[string, number]> = [
  ['agents', 0.005], ['workflows', 0.005], ['workflow_runs', 0.2], ['step_executions', 0.5],
  ['vm_assignments', 0.05], ['execution_artifacts', 0.2], ['secrets', 0.02], ['triggers', 0.02],
];

/** Creates `file` (it must not exist) and returns the number of rows written per table. */
export function seedRegistry(file: string, options: SeedOptions): Record<string, number> {
  const Database = loadBetterSqlite3();
  const db = new Database(file);
  try {
    db.pragma(`journal_mode = ${options.journalMode ?? 'wal'}`);
    db.pragma('foreign_keys = OFF'); // as the sqlite3 CLI the engine's template registration used
    db.exec(REGISTRY_SQLITE_DDL);
    const counts: Record<string, number> = {};
    for (const [table] of SHARES) counts[table] = 0;
    const ctx: SeedContext = { random: prng(options.seed ?? 42), counts: {}, options };
    for (const [table, share] of SHARES) ctx.counts[table] = Math.max(6, Math.round(options.rows * share));
    db.transaction(() => {
      for (const [table] of SHARES) counts[table] = SEED_ROWS[table]!(db, ctx);
    })();
    return counts;
  } finally {
    db.close();
  }
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
