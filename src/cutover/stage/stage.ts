/**
 * The stage `status` judges for, read from REGISTRY_BACKEND, REGISTRY_PRIMARY and
 * REGISTRY_SQLITE_RETIRED exactly as the engine reads them (an operator runs `status` with the
 * engine's environment), so a bad value gets the adapter's own message.
 */
import { ConfigurationError, planOpen } from '../../adapter';
import { MigrationError } from '../../migrate/results';
import type { CutoverStage } from './check';

type Env = Record<string, string | undefined>;

export function readStage(registryDb: string, env: Env = process.env): CutoverStage {
  try {
    const plan = planOpen(registryDb, {}, { ...env, REGISTRY_DB: registryDb });
    if (!plan.managed) return 'sqlite';
    if (plan.sqliteRetired) return 'retired';
    if (plan.backend === 'shadow') return plan.primary === 'postgres' ? 'shadow-postgres' : 'shadow-sqlite';
    return plan.backend;
  } catch (error) {
    if (error instanceof ConfigurationError) throw new MigrationError(error.message, 2, { cause: error });
    throw error;
  }
}

/** How the stage reads in a sentence, with the variables that set it. */
export function describeStage(stage: CutoverStage): string {
  switch (stage) {
    case 'sqlite': return 'before the canary (REGISTRY_BACKEND=sqlite)';
    case 'shadow-sqlite': return 'canary (REGISTRY_BACKEND=shadow, REGISTRY_PRIMARY=sqlite)';
    case 'shadow-postgres': return 'PostgreSQL answers (REGISTRY_BACKEND=shadow, REGISTRY_PRIMARY=postgres)';
    case 'postgres': return 'PostgreSQL only (REGISTRY_BACKEND=postgres)';
    case 'retired': return 'SQLite retired (REGISTRY_BACKEND=postgres, REGISTRY_SQLITE_RETIRED=1)';
  }
}

/** The runbook's next step once every check of this stage passed. */
export function nextStep(stage: CutoverStage, registryDb: string, removalChecked: boolean): string {
  switch (stage) {
    case 'sqlite':
      return 'Safe to go on: run the engine with REGISTRY_BACKEND=shadow (SQLite still answers), then watch swarm-registry report during the canary.';
    case 'shadow-sqlite':
      return 'Safe to go on: set REGISTRY_PRIMARY=postgres (PostgreSQL answers, SQLite still gets every write, so a rollback is one variable away).';
    case 'shadow-postgres':
      return 'Safe to go on: set REGISTRY_BACKEND=postgres (SQLite stops getting writes; to roll back after that, run swarm-registry verify --repair --from postgres first).';
    case 'postgres':
      return 'Safe to go on: set REGISTRY_SQLITE_RETIRED=1, then run status again to retire SQLite.';
    case 'retired':
      return removalChecked
        ? `Done: SQLite is retired, and neither better-sqlite3 nor a .db file is left.`
        : `Safe to remove better-sqlite3 (npm uninstall better-sqlite3; npm ci --omit=optional) and ${registryDb}; then confirm with swarm-registry status --code DIR --data DIR.`;
  }
}
