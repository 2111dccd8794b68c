/** The first two lines of the checklist: PostgreSQL answers, and REGISTRY_PG_SCHEMA holds all 8 tables. */
import { connectPostgres, describeUrl, MIGRATION_TABLES, MigrationError, type PgClient } from '../../migrate';
import { failed, passed, type CheckResult } from '../stage';

export interface Reachable {
  check: CheckResult;
  /** Connected when the check passed. */
  client: PgClient | null;
}

export async function checkReachable(url: string): Promise<Reachable> {
  const title = 'PostgreSQL reachable';
  try {
    const client = await connectPostgres(url);
    const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    return { check: passed('postgres', title, `${describeUrl(url)} answers (PostgreSQL ${rows[0]?.version ?? '?'}).`), client };
  } catch (error) {
    const reason = error instanceof MigrationError ? error.message : `Cannot use PostgreSQL at ${describeUrl(url)}: check DATABASE_URL and the server.`;
    return { check: failed('postgres', title, reason), client: null };
  }
}

export async function checkTables(client: PgClient, schema: string, url: string): Promise<CheckResult> {
  const title = `All 8 tables in ${schema}`;
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    [schema],
  );
  const present = new Set(rows.map((r) => r.relname));
  const missing = MIGRATION_TABLES.map((t) => t.name).filter((name) => !present.has(name));
  if (missing.length === MIGRATION_TABLES.length) {
    return failed('tables', title, `Schema ${schema} does not exist in ${describeUrl(url)}: run swarm-registry init first.`, { missing });
  }
  if (missing.length > 0) {
    return failed('tables', title, `Schema ${schema} lacks the table(s) ${missing.join(', ')}: run swarm-registry init (it creates what is missing).`, { missing });
  }
  return passed('tables', title, `${MIGRATION_TABLES.map((t) => t.name).join(', ')}.`);
}
