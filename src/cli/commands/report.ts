/**
 * `swarm-registry report [--log PATH] [--since 24h|7d|ISO|all] [--samples N] [--json]`: summarises
 * the divergence log of shadow mode. Divergences are what it reports, not a failure: it exits 0
 * whatever the log holds (`status` is the command that judges), and 2 only when the log cannot
 * be read. A missing log is "nothing to report yet", exit 0.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_REGISTRY_DB, planOpen } from '../../adapter/config';
import { ConfigurationError } from '../../adapter/errors';
import { redactSecrets } from '../../adapter/redact';
import { MigrationError } from '../../migrate/errors';
import { DEFAULT_WINDOW, LogReadError, parseWindow, summarizeDivergences } from '../../shadow/report';
import { formatSummary } from '../../shadow/report-format';
import type { ReportJson } from '../documents';
import { action, EXIT_FAILED, EXIT_OK, redactDocument, type CommandOutcome } from '../output';

interface ReportFlags {
  log?: string;
  since: string;
  samples: string;
  json?: boolean;
}

type Env = Record<string, string | undefined>;

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Summarise the shadow-mode divergence log: totals by kind and by statement, first and last seen, samples.')
    .option('--log <path>', 'the divergence log (default: REGISTRY_DIVERGENCE_LOG, or <REGISTRY_DB>.divergence.jsonl)')
    .option('--since <window>', 'only divergences in this window: a duration (30m, 24h, 7d), a date (2024-05-01T00:00:00Z), or all', DEFAULT_WINDOW)
    .option('--samples <n>', 'samples shown per statement', '3')
    .option('--json', 'print one JSON document')
    .action(action(async (flags: ReportFlags): Promise<CommandOutcome<ReportJson>> => {
      const log = flags.log ?? defaultDivergenceLog();
      const window = failOn(RangeError, () => parseWindow(flags.since));
      const samples = Number(flags.samples);
      if (!Number.isInteger(samples) || samples < 0) {
        throw new MigrationError(`--samples ${JSON.stringify(flags.samples)} is not valid: use a whole number (0 shows none).`, EXIT_FAILED);
      }
      const summary = failOn(LogReadError, () => summarizeDivergences(log, { since: window.since, samples, databaseUrl: process.env.DATABASE_URL }));
      const redact = (text: string) => redactSecrets(text, process.env.DATABASE_URL);
      return {
        document: redactDocument<ReportJson>({ ok: true, window: window.label, ...summary }, redact),
        human: redact(formatSummary(summary, window.label)),
        exitCode: EXIT_OK,
      };
    }));
}

/** Where shadow mode writes the log by default, worked out as the adapter does (config.ts). */
export function defaultDivergenceLog(env: Env = process.env): string {
  const registryDb = env.REGISTRY_DB || DEFAULT_REGISTRY_DB;
  if (registryDb === '*' && !env.REGISTRY_DIVERGENCE_LOG) {
    throw new MigrationError('REGISTRY_DB="*" names no file, so the divergence log has no default place: pass --log PATH or set REGISTRY_DIVERGENCE_LOG.', EXIT_FAILED);
  }
  try {
    const plan = planOpen(registryDb === '*' ? 'registry.db' : path.resolve(registryDb), { backend: 'sqlite', sqliteRetired: false }, env);
    if (plan.managed) return plan.divergenceLog;
  } catch (error) {
    if (error instanceof ConfigurationError) throw new MigrationError(error.message, EXIT_FAILED, { cause: error });
    throw error;
  }
  return `${path.resolve(registryDb)}.divergence.jsonl`;
}

/** Runs `fn`, turning an expected error class into the CLI's one-sentence failure (exit 2). */
function failOn<T>(kind: new (...args: never[]) => Error, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof kind) throw new MigrationError(error.message, EXIT_FAILED, { cause: error });
    throw error;
  }
}
