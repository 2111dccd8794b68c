/**
 * The backfill's hand-off to shadow mode's change log (docs/cli.md, backfill: resuming while shadow
 * mode runs). Every table must hold one snapshot, and the applier must start at that snapshot's log
 * position: a change logged before it would be applied twice, one after it lost. A resumed run
 * reads a new snapshot, so each chunk's progress row records the log position of the snapshot it
 * was read from, and a run decides from them where it starts:
 * - nothing copied yet, or every chunk from this run's snapshot: copy (or go on), hand over here;
 * - every table copied by earlier runs from one snapshot, not handed over (killed just before):
 *   hand over at that snapshot's position, copy nothing;
 * - chunks from another snapshot: the copied rows miss the changes logged since. Start over from
 *   this snapshot (the tables emptied first), hand over here;
 * - `--restart` before the hand-off: start over too (rows kept from another snapshot would be stale);
 * - already handed over: the applier keeps PostgreSQL up to date; a new copy would mix snapshots.
 *   Copy nothing and leave the position as it is (`--restart` is refused: `verify --repair` fixes rows).
 */
import { quoteSchema } from '../../schema';
import { APPLIED_TABLE, positionSql, SQLITE_LOG } from '../../shadow/shared';
import { ident, MIGRATION_TABLES } from '../core';
import { type PgClient } from '../postgres';
import { MigrationError } from '../results';
import { PROGRESS_TABLE } from './state';

export type StartingPoint =
  | { action: 'copy' }
  | { action: 'hand-over-earlier'; position: number }
  | { action: 'recopy'; earlier: number[] }
  | { action: 'handed-over'; position: number; setBy: string | null };

/** Where the applier was set to start, or undefined (no hand-off yet, or no change log's tables). */
export async function readHandOff(client: PgClient, schema: string): Promise<{ position: number; setBy: string | null } | undefined> {
  const table = `${quoteSchema(schema)}.${APPLIED_TABLE}`;
  const { rows } = await client.query<{ position: string; set_by: string | null }>(
    `SELECT position::text, set_by FROM ${table} WHERE to_regclass($1) IS NOT NULL AND source = $2`,
    [table, SQLITE_LOG],
  ).catch((error: { code?: string }) => {
    if (error.code === '42P01') return { rows: [] };
    throw error;
  });
  return rows[0] ? { position: Number(rows[0].position), setBy: rows[0].set_by } : undefined;
}

/**
 * Decides this run's starting point from the earlier runs' progress. `logPosition` is this run's
 * snapshot position, null when the registry file has no change log (shadow mode never ran): then
 * nothing is handed over and a resumed copy goes on as before.
 */
export async function startingPoint(client: PgClient, schema: string, logPosition: number | null, restart: boolean): Promise<StartingPoint> {
  if (logPosition === null) return { action: 'copy' };
  const handOff = await readHandOff(client, schema);
  const { rows } = await client.query<{ done: boolean; snapshot_position: string | null }>(
    `SELECT done, snapshot_position::text FROM ${quoteSchema(schema)}.${PROGRESS_TABLE}`,
  );
  if (handOff) {
    const allDone = rows.length === MIGRATION_TABLES.length && rows.every((r) => r.done);
    if (restart || (!allDone && handOff.setBy === 'backfill')) {
      throw new MigrationError(`Refusing to copy again: shadow mode's change log has been applied to PostgreSQL since log position ${handOff.position} (set by ${handOff.setBy ?? 'the applier'}), and a new snapshot copied over it would lose or repeat writes. Run swarm-registry verify --repair to fix rows that differ.`);
    }
    return { action: 'handed-over', ...handOff };
  }
  if (rows.length === 0) return { action: 'copy' };
  const positions = [...new Set(rows.map((r) => (r.snapshot_position === null ? -1 : Number(r.snapshot_position))))];
  if (!restart && positions.length === 1 && positions[0] === logPosition) return { action: 'copy' };
  if (!restart && positions.length === 1 && positions[0]! >= 0 && rows.length === MIGRATION_TABLES.length && rows.every((r) => r.done)) {
    return { action: 'hand-over-earlier', position: positions[0]! };
  }
  return { action: 'recopy', earlier: positions.sort((a, b) => a - b) };
}

/** Empties the registry's tables in PostgreSQL before a copy starts over (nothing applies to them before the hand-off). */
export async function emptyTables(client: PgClient, schema: string): Promise<void> {
  await client.query(`TRUNCATE ${MIGRATION_TABLES.map((t) => `${quoteSchema(schema)}.${ident(t.name)}`).join(', ')}`);
}

/** Where the change log's applier starts: the log position of the snapshot copied (never moved back). */
export async function handOver(client: PgClient, schema: string, position: number): Promise<void> {
  const sql = positionSql(schema);
  await client.query(sql.create);
  await client.query(sql.handoff, [SQLITE_LOG, position]);
}
