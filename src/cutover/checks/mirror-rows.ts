/**
 * Reads the shadow mirror's progress table, `"<schema>"._registry_mirror` (one row per process
 * that mirrored writes; docs/shadow-mode.md, Counters), written by the shadow backend. None yet: no mirror has run.
 */
import type { PgClient } from '../../migrate';
import { quoteSchema } from '../../schema';

// The table the shadow mirror writes (src/shadow/mirror/progress.ts): one name for both sides.
export { MIRROR_TABLE } from '../../shadow/shared';
import { MIRROR_TABLE, type MirrorRow } from '../../shadow/shared';

export type { MirrorRow };

interface RawRow {
  mirror_id: string; host: string | null; pid: number | null; primary_side: string | null;
  started_at: Date | null; updated_at: Date | null; enqueued: string | null; applied: string | null;
  lag_ms: string | null; queue_depth: number | null; gaps: string | null; overflow: string | null; outages: string | null; closed: boolean | null; log_error: string | null;
}

/** The mirrors, most recently updated first; null when the table does not exist. */
export async function readMirrors(client: PgClient, schema: string): Promise<MirrorRow[] | null> {
  try {
    const { rows } = await client.query<RawRow>(
      `SELECT mirror_id, host, pid, primary_side, started_at, updated_at, enqueued, applied, lag_ms, queue_depth, gaps, overflow, outages, closed,
              to_jsonb(m) ->> 'log_error' AS log_error
         FROM ${quoteSchema(schema)}.${MIRROR_TABLE} m ORDER BY updated_at DESC NULLS LAST`,
    );
    return rows.map(toMirror);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P01' || code === '3F000') return null; // no table, or no schema: no mirror has run
    throw error;
  }
}

function toMirror(r: RawRow): MirrorRow {
  const n = (v: string | number | null) => Number(v ?? 0);
  return {
    mirrorId: r.mirror_id, host: r.host ?? '?', pid: n(r.pid), primarySide: r.primary_side ?? '?',
    startedAt: r.started_at ?? new Date(0), updatedAt: r.updated_at ?? new Date(0),
    enqueued: n(r.enqueued), applied: n(r.applied), lagMs: n(r.lag_ms), queueDepth: n(r.queue_depth),
    gaps: n(r.gaps), overflow: n(r.overflow), outages: n(r.outages), closed: r.closed === true,
    logError: r.log_error ?? null,
  };
}
