/**
 * Chooses and opens the backend for one `new Database(filename, options)` (docs/runbook.md, Which databases it manages): only the
 * registry file follows REGISTRY_BACKEND; any other file is plain SQLite.
 */
import type { Backend } from '../contracts';
import { SqliteBackend } from '../backends/sqlite';
import { planOpen, type DatabaseOptions, type OpenPlan } from './config';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

/** The backends beyond SQLite, required on first use (a SQLite-only process never loads pg). */
const openers: Record<'postgres' | 'shadow', (plan: ManagedPlan, filename: string, options: DatabaseOptions, database: object) => Backend> = {
  postgres: (plan, filename, options) => {
    const { PostgresBackend } = require('../backends/postgres') as typeof import('../backends/postgres');
    return new PostgresBackend(plan, filename, options);
  },
  shadow: (plan, filename, options, database) => {
    const { ShadowBackend } = require('../shadow') as typeof import('../shadow');
    return new ShadowBackend(plan, filename, options, database);
  },
};

export function openBackend(filename: string | Buffer | undefined, options: DatabaseOptions | undefined, database: object): Backend {
  const opts = options ?? {};
  if (typeof opts !== 'object') throw new TypeError('Expected second argument to be an options object');
  if (Buffer.isBuffer(filename) || (filename != null && typeof filename !== 'string')) {
    return new SqliteBackend(filename, options, database); // a serialized database or a bad argument: better-sqlite3 decides
  }
  const name = (filename ?? '').trim();
  const plan = planOpen(name, opts);
  if (!plan.managed || plan.backend === 'sqlite') return new SqliteBackend(filename, options, database);
  return openers[plan.backend](plan, name, opts, database);
}
