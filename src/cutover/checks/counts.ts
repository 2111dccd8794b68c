/**
 * "Row counts equal": SQLite (REGISTRY_DB) against PostgreSQL, table by table, rows the backfill
 * skipped by the operator's choice set aside. Once SQLite no longer gets writes (postgres mode),
 * the counts are shown but cannot be expected to match; once the file is gone, the line is skipped.
 */
import fs from 'node:fs';
import { MigrationError, type PgClient } from '../../migrate';
import { failed, passed, skipped, sqliteFrozen, type CheckResult, type CutoverStage } from '../stage';
import { compareCounts, sqliteCounts, type TableCounts } from './row-counts';

const TITLE = 'Row counts equal';

export async function checkCounts(client: PgClient, schema: string, registryDb: string, stage: CutoverStage): Promise<CheckResult> {
  if (!fs.existsSync(registryDb)) {
    return sqliteFrozen(stage)
      ? skipped('counts', TITLE, `REGISTRY_DB=${registryDb} is gone (SQLite retired): nothing to compare.`)
      : failed('counts', TITLE, `REGISTRY_DB=${registryDb} does not exist: point REGISTRY_DB at the registry's SQLite file.`);
  }
  let sqlite: Map<string, number>;
  try {
    sqlite = sqliteCounts(registryDb);
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    return sqliteFrozen(stage) ? skipped('counts', TITLE, error.message) : failed('counts', TITLE, error.message);
  }
  const tables = await compareCounts(client, schema, sqlite);
  const details = { tables };
  const total = (side: 'sqlite' | 'postgres') => tables.reduce((n, t) => n + t[side], 0);
  const skippedRows = tables.reduce((n, t) => n + t.skippedByBackfill, 0);
  const aside = skippedRows ? ` (${skippedRows} row(s) skipped by the backfill, as chosen, set aside)` : '';
  const differing = tables.filter((t) => t.difference !== 0);
  if (differing.length === 0) return passed('counts', TITLE, `${total('postgres')} rows in PostgreSQL, as in SQLite${aside}.`, details);
  if (sqliteFrozen(stage)) {
    const drift = differing.map((t) => `${t.table} ${t.difference > 0 ? '+' : ''}${t.difference}`).join(', ');
    return passed('counts', TITLE, `SQLite no longer gets writes (postgres mode), so PostgreSQL has drifted from it (${drift}); a rollback now starts with swarm-registry verify --repair --from postgres.`, details);
  }
  const list = differing.map(describe).join('; ');
  if (total('postgres') === 0) return failed('counts', TITLE, `PostgreSQL holds no rows yet (SQLite has ${total('sqlite')}): run swarm-registry backfill.`, details);
  const fix = stage === 'shadow-postgres' ? 'swarm-registry verify --repair --from postgres' : 'swarm-registry verify --repair';
  return failed('counts', TITLE, `${list}${aside}: run ${fix} (with the engine writing, counts taken a moment apart can also differ by the mirror's queue: run status again first).`, details);
}

function describe(t: TableCounts): string {
  return `${t.table} has ${t.sqlite} in SQLite and ${t.postgres} in PostgreSQL`;
}
