/**
 * The mirror's lag over time, for `report --html`: the samples each shadow-mode process appends to
 * `_registry_mirror_lag` (mirror/progress.ts), read from PostgreSQL when DATABASE_URL is given.
 */
import pg from 'pg';
import { quoteSchema } from '../../../schema';
import { LAG_TABLE } from '../../shared';

export interface LagSample {
  mirror: string;
  /** Epoch ms. */
  at: number;
  lagMs: number;
  queueDepth: number;
}

export type LagHistory = { samples: LagSample[] } | { unavailable: string };

export async function readLagHistory(databaseUrl: string | undefined, schema: string, since: Date | null): Promise<LagHistory> {
  if (!databaseUrl) return { unavailable: 'DATABASE_URL is not set, so the lag history (kept in PostgreSQL) was not read' };
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ mirror_id: string; at: Date; lag_ms: string; queue_depth: number }>(
      `SELECT mirror_id, at, lag_ms, queue_depth FROM ${quoteSchema(schema)}.${LAG_TABLE} WHERE at >= $1 ORDER BY at LIMIT 50000`,
      [since ?? new Date(0)],
    );
    return { samples: rows.map((r) => ({ mirror: r.mirror_id, at: r.at.getTime(), lagMs: Number(r.lag_ms), queueDepth: r.queue_depth })) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P01') return { unavailable: `no mirror has recorded its lag in ${schema}.${LAG_TABLE} yet` };
    return { unavailable: `the lag history could not be read (${(error as Error).message})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}
