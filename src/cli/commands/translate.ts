/** `swarm-registry translate "<sql>" [--offline] [--json]` */
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigurationError, DEFAULT_REGISTRY_DB, planOpen } from '../../adapter';
import { MigrationError } from '../../migrate/results';
import type { TranslatedStatement } from '../../migrate/translate';
import type { ParamSlot } from '../../translator';
import { EXIT_FAILED, EXIT_FOUND_PROBLEMS, type TranslateJson, writeFailure, writeOutcome } from '../output';

interface TranslateFlags {
  offline?: boolean;
  json?: boolean;
}

export function registerTranslate(program: Command): void {
  program
    .command('translate')
    .argument('<sql>', 'one SQLite statement, quoted')
    .description('Print the PostgreSQL form of a SQLite statement, or the error prepare() would raise (exit 1).')
    .option('--offline', "use the registry's built-in schema even when DATABASE_URL is set")
    .option('--json', 'print the whole translation (parameter slots, reader, ordered, ...) as JSON')
    .addHelpText('after', [
      '',
      'With DATABASE_URL set, the statement is translated against the tables of REGISTRY_PG_SCHEMA and',
      'prepared there (in a rolled-back transaction), so a missing table or column fails as prepare() would.',
      "Without it (or with --offline), it is translated against the registry's own 8 tables, with no",
      'database at all; tables outside them are not checked, and timestamps are shown in SQLite\'s format.',
      'REGISTRY_SQL_OVERRIDES is honoured either way.',
    ].join('\n'))
    .action(async (sql: string, flags: TranslateFlags) => {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { translateStatement } = require('../../migrate/translate') as typeof import('../../migrate/translate');
        const result = await translateStatement({ sql, ...readTranslateSettings(flags.offline === true) });
        const document: TranslateJson = { ok: true, catalog: result.catalog, preparedOnServer: result.preparedOnServer, translation: result.translation };
        writeOutcome({ document, human: describeTranslation(result) }, flags);
      } catch (error) {
        writeFailure(error, flags);
        // The statement is the problem, not the command: exit 1, as for the differences verify finds.
        if (error instanceof Error && error.name === 'UnpreparableStatement') process.exitCode = EXIT_FOUND_PROBLEMS;
      }
    });
}

/** DATABASE_URL is optional here; the other variables are validated as the adapter does. */
function readTranslateSettings(offline: boolean): { databaseUrl: string | null; pgSchema: string; overrides: Map<string, string> } {
  const env = offline ? { ...process.env, DATABASE_URL: undefined } : process.env;
  const registryDb = env.REGISTRY_DB && env.REGISTRY_DB !== '*' ? path.resolve(env.REGISTRY_DB) : DEFAULT_REGISTRY_DB;
  try {
    const plan = planOpen(registryDb, { backend: env.DATABASE_URL ? 'postgres' : 'sqlite', sqliteRetired: false }, env);
    if (!plan.managed) throw new Error('unreachable: an explicit backend is always managed');
    return { databaseUrl: plan.databaseUrl, pgSchema: plan.pgSchema, overrides: plan.sqlOverrides };
  } catch (error) {
    if (error instanceof ConfigurationError) throw new MigrationError(error.message, EXIT_FAILED, { cause: error });
    throw error;
  }
}

function describeTranslation(result: TranslatedStatement): string {
  const t = result.translation;
  const notes = t.slots.map((slot, i) => `-- $${i + 1}: ${describeSlot(slot)}`);
  if (t.noop) notes.push('-- a no-op on PostgreSQL: the backend answers changes: 0 without running it');
  if (t.overridden) notes.push('-- from REGISTRY_SQL_OVERRIDES');
  if (t.notMirrorable) notes.push(`-- not mirrorable in shadow mode: ${t.notMirrorable.join(', ')}`);
  if (result.catalog === 'built-in') notes.push("-- translated against the registry's built-in schema (no DATABASE_URL)");
  return [`${t.text};`, ...notes].join('\n');
}

function describeSlot(slot: ParamSlot): string {
  const source = slot.source.kind === 'positional' ? `parameter ${slot.source.index + 1} (?)`
    : slot.source.kind === 'named' ? `parameter ${slot.source.name}`
      : "'now', evaluated once per statement by the adapter";
  const target = slot.targetColumn ? ` → ${slot.targetColumn.table}.${slot.targetColumn.column} (${slot.targetType ?? 'unknown type'})` : '';
  return source + target;
}
