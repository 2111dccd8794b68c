/**
 * Chooses and opens the backend for one `new Database(filename, options)` (SPEC §2): only the
 * registry file follows REGISTRY_BACKEND; any other file is plain SQLite.
 */
import type { Backend } from '../backends/backend';
import { SqliteBackend } from '../backends/sqlite';
import { planOpen, type DatabaseOptions, type OpenPlan } from './config';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;
type BackendOpener = (plan: ManagedPlan, filename: string, options: DatabaseOptions, database: object) => Backend;

/** Openers of the backends beyond SQLite, registered by their modules (kept out of SQLite-only start-up). */
const openers: Partial<Record<'postgres' | 'shadow', () => BackendOpener>> = {};

export function registerBackend(name: 'postgres' | 'shadow', load: () => BackendOpener): void {
  openers[name] = load;
}

export function openBackend(filename: string | Buffer | undefined, options: DatabaseOptions | undefined, database: object): Backend {
  const opts = options ?? {};
  if (typeof opts !== 'object') throw new TypeError('Expected second argument to be an options object');
  if (Buffer.isBuffer(filename) || (filename != null && typeof filename !== 'string')) {
    return new SqliteBackend(filename, options, database); // a serialized database or a bad argument: better-sqlite3 decides
  }
  const name = (filename ?? '').trim();
  const plan = planOpen(name, opts);
  if (!plan.managed || plan.backend === 'sqlite') return new SqliteBackend(filename, options, database);
  const load = openers[plan.backend];
  if (!load) throw new Error(`REGISTRY_BACKEND=${plan.backend} is not available in this build.`);
  return load()(plan, name, opts, database);
}
