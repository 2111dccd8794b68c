/** One line of the cutover checklist (docs/cli.md, status), and the stage of the runbook it is judged for. */

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  /** Stable key for machines: `postgres`, `tables`, `counts`, `mirror`, `changelog`, `divergences`, `code`, `data`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** One sentence: what was found, and for a failure what to do. */
  reason: string;
  /** The facts behind the reason (counts per table, mirrors, files), for --json. */
  details?: Record<string, unknown>;
}

/**
 * Where the registry is in the runbook (docs/runbook.md, The steps), read from the same variables the engine reads:
 * `sqlite` (before the canary), `shadow-sqlite` (canary, SQLite answers), `shadow-postgres`
 * (PostgreSQL answers, SQLite still gets every write), `postgres`, and `retired`.
 */
export type CutoverStage = 'sqlite' | 'shadow-sqlite' | 'shadow-postgres' | 'postgres' | 'retired';

/** SQLite no longer gets the engine's writes in these stages. */
export function sqliteFrozen(stage: CutoverStage): boolean {
  return stage === 'postgres' || stage === 'retired';
}

export function passed(id: string, title: string, reason: string, details?: Record<string, unknown>): CheckResult {
  return { id, title, status: 'passed', reason, ...(details ? { details } : {}) };
}

export function failed(id: string, title: string, reason: string, details?: Record<string, unknown>): CheckResult {
  return { id, title, status: 'failed', reason, ...(details ? { details } : {}) };
}

export function skipped(id: string, title: string, reason: string, details?: Record<string, unknown>): CheckResult {
  return { id, title, status: 'skipped', reason, ...(details ? { details } : {}) };
}
