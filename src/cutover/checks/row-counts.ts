/** Rows per registry table on each side: SQLite in one read snapshot, PostgreSQL in one query. */
import { beginSnapshot, endSnapshot, MIGRATION_TABLES, openRegistryFile, type PgClient, readExceptions } from '../../migrate';
import { quoteSchema } from '../../schema';

export interface TableCounts {
  table: string;
  sqlite: number;
  postgres: number;
  /** Rows the backfill left out because the operator chose --orphans=skip or --loose=skip. */
  skippedByBackfill: number;
  /** postgres − (sqlite − skippedByBackfill): 0 when the sides agree. */
  difference: number;
}

export function sqliteCounts(registryDb: string): Map<string, number> {
  const db = openRegistryFile(registryDb);
  try {
    beginSnapshot(db);
    const counts = new Map(MIGRATION_TABLES.map((t) => [t.name, Number(db.prepare(`SELECT count(*) FROM "${t.name}"`).pluck().get())]));
    endSnapshot(db);
    return counts;
  } finally {
    db.close();
  }
}

export async function postgresCounts(client: PgClient, schema: string): Promise<Map<string, number>> {
  const s = quoteSchema(schema);
  const sql = MIGRATION_TABLES.map((t) => `SELECT '${t.name}' AS name, count(*)::int8 AS n FROM ${s}.${t.name}`).join(' UNION ALL ');
  const { rows } = await client.query<{ name: string; n: string }>(sql);
  return new Map(rows.map((r) => [r.name, Number(r.n)]));
}

export async function compareCounts(client: PgClient, schema: string, sqlite: Map<string, number>): Promise<TableCounts[]> {
  const postgres = await postgresCounts(client, schema);
  const skipped = new Map<string, number>();
  for (const e of await readExceptions(client, schema)) if (e.column === null) skipped.set(e.table, (skipped.get(e.table) ?? 0) + 1);
  return MIGRATION_TABLES.map(({ name }) => {
    const s = sqlite.get(name) ?? 0;
    const p = postgres.get(name) ?? 0;
    const k = skipped.get(name) ?? 0;
    return { table: name, sqlite: s, postgres: p, skippedByBackfill: k, difference: p - (s - k) };
  });
}
