/**
 * What every front end does when it opens the registry schema on PostgreSQL (the synchronous
 * backend's worker, the AsyncDatabase pool and the shadow mirror alike): the statements each new
 * connection runs once, the start-up line operators look for, and the server named without its
 * password.
 */
import type { OpenPlan } from '../../../adapter/config';
import { info } from '../../../adapter/log';
import { redactUrl } from '../../../adapter/redact';
import { quoteIdent } from '../../../policy/identifiers';
import { pinnedSetStatements } from './session-settings';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

/** What every connection runs once: the schema, and the settings the value shaper relies on. */
export function sessionSetup(schema: string, readonly: boolean): string[] {
  const setup = [`SET search_path TO ${quoteIdent(schema)}`, ...pinnedSetStatements()];
  if (readonly) setup.push('SET default_transaction_read_only TO on');
  return setup;
}

const announced = new Set<string>();

/**
 * The start-up line operators look for in the engine's log after switching to PostgreSQL, once per
 * process and database (sync and async alike); REGISTRY_LOG_LEVEL=silent leaves it out.
 */
export function announce(plan: ManagedPlan): void {
  const target = `${redactUrl(plan.databaseUrl!)} schema ${plan.pgSchema}`;
  if (announced.has(target)) return;
  announced.add(target);
  info(`Database initialized (PostgreSQL): ${target}`);
}

/** `host:port/database` for messages: never the user's password. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'the configured server';
  }
}
