/**
 * `swarm-registry report [--log PATH] [--since 24h|7d|ISO|all] [--samples N] [--json] [--html FILE]`: summarises
 * the divergence log of shadow mode. Divergences are what it reports, not a failure: it exits 0
 * whatever the log holds (`status` is the command that judges), and 2 only when the log cannot
 * be read. A missing log is "nothing to report yet", exit 0. `--html FILE` also writes the summary
 * as one self-contained page with charts (shadow/report/html.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigurationError, DEFAULT_REGISTRY_DB, planOpen, redactSecrets } from '../../adapter';
import { MigrationError } from '../../migrate/results';
import {
  DEFAULT_WINDOW, formatSummary, LogReadError, parseWindow, readDivergenceLog, summarizeDivergences,
} from '../../shadow/report';
import { action, type CommandOutcome, EXIT_FAILED, EXIT_OK, redactDocument, type ReportJson } from '../output';
import { DEFAULT_REGISTRY_SCHEMA } from '../../schema';

interface ReportFlags {
  log?: string;
  since: string;
  samples: string;
  json?: boolean;
  html?: string;
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
    .option('--html <file>', 'also write the report as one self-contained HTML page with charts (the lag chart reads PostgreSQL when DATABASE_URL is set)')
    .action(action(async (flags: ReportFlags): Promise<CommandOutcome<ReportJson>> => {
      const log = flags.log ?? defaultDivergenceLog();
      const window = failOn(RangeError, () => parseWindow(flags.since));
      const samples = Number(flags.samples);
      if (!Number.isInteger(samples) || samples < 0) {
        throw new MigrationError(`--samples ${JSON.stringify(flags.samples)} is not valid: use a whole number (0 shows none).`, EXIT_FAILED);
      }
      const summary = failOn(LogReadError, () => summarizeDivergences(log, { since: window.since, samples, databaseUrl: process.env.DATABASE_URL }));
      const redact = (text: string) => redactSecrets(text, process.env.DATABASE_URL);
      if (flags.html) {
        // Required when asked for, not imported: the page, its charts and pg load only for --html.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { buildTimeline, readLagHistory, renderHtmlReport } = require('../../shadow/report/html') as typeof import('../../shadow/report/html');
        const records = failOn(LogReadError, () => readDivergenceLog(log))?.records ?? [];
        const from = window.since?.getTime() ?? (summary.firstSeen ? Date.parse(summary.firstSeen) : Date.now() - 86_400_000);
        const timeline = buildTimeline(records, from, Date.parse(summary.until));
        const lag = await readLagHistory(process.env.DATABASE_URL || undefined, process.env.REGISTRY_PG_SCHEMA || DEFAULT_REGISTRY_SCHEMA, window.since);
        const page = redact(renderHtmlReport({ summary, windowLabel: window.label, timeline, lag }));
        try {
          fs.writeFileSync(flags.html, page);
        } catch (error) {
          throw new MigrationError(`Cannot write the HTML report to ${flags.html} (${(error as Error).message}): choose a writable path.`, EXIT_FAILED, { cause: error });
        }
      }
      return {
        document: redactDocument<ReportJson>({ ok: true, window: window.label, ...summary }, redact),
        human: redact(formatSummary(summary, window.label)) + (flags.html ? `HTML report written to ${flags.html}.\n` : ''),
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
