/** `swarm-registry status [--window 24h] [--log PATH] [--code DIR] [--data DIR] [--json]` */
import type { Command } from 'commander';
import { redactSecrets } from '../../adapter';
import { readSettings } from '../../migrate/core';
import { MigrationError } from '../../migrate/results';
import type { MirrorRow, StatusResult } from '../../cutover';
import { describeStage, readStage } from '../../cutover/stage';
import { DEFAULT_WINDOW, displayTime, parseWindow } from '../../shadow/report';
import {
  action, type CommandOutcome, EXIT_FAILED, EXIT_FOUND_PROBLEMS, EXIT_OK, redactDocument, type StatusJson,
} from '../output';
import { defaultDivergenceLog } from './report';

interface StatusFlags {
  window: string;
  log?: string;
  code?: string;
  data?: string;
  json?: boolean;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('The cutover checklist: PostgreSQL reachable, all 8 tables, row counts equal, mirror lag and gaps, no divergence in the window, and (when asked) no better-sqlite3 or .db file left; exit code 1 when a check fails.')
    .option('--window <window>', 'divergences and mirror gaps counted in this window: a duration (30m, 24h, 7d), a date, or all', DEFAULT_WINDOW)
    .option('--log <path>', 'the divergence log (default: REGISTRY_DIVERGENCE_LOG, or <REGISTRY_DB>.divergence.jsonl)')
    .option('--code <dir>', "also check the engine's code folder: no better-sqlite3 dependency, installed copy or import left")
    .option('--data <dir>', 'also check the data folder (e.g. /opt/swarm-registry): no .db file left')
    .option('--json', 'print one JSON document')
    .addHelpText('after', [
      '',
      'Run it with the engine\'s environment: REGISTRY_BACKEND, REGISTRY_PRIMARY and REGISTRY_SQLITE_RETIRED say',
      'which step of the runbook the checklist judges (no mirror yet is expected before the canary, a failure after it;',
      'row counts drift once SQLite no longer gets writes, and are skipped once its file is gone).',
    ].join('\n'))
    .action(action(async (flags: StatusFlags): Promise<CommandOutcome<StatusJson>> => {
      const settings = readSettings();
      const stage = readStage(settings.registryDb);
      let window;
      try {
        window = parseWindow(flags.window);
      } catch (error) {
        throw new MigrationError((error as Error).message.replace('--since', '--window'), EXIT_FAILED, { cause: error });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runStatus } = require('../../cutover') as typeof import('../../cutover');
      const result = await runStatus({
        ...settings,
        stage,
        divergenceLog: flags.log ?? defaultDivergenceLog(),
        window: flags.window,
        since: window.since,
        windowLabel: window.label,
        ...(flags.code !== undefined ? { codeDir: flags.code } : {}),
        ...(flags.data !== undefined ? { dataDir: flags.data } : {}),
      });
      // Every reason is already redacted; this is the belt to those braces: a password never reaches the output.
      const redact = (text: string) => redactSecrets(text, process.env.DATABASE_URL);
      return {
        document: redactDocument<StatusJson>({ ok: result.safe, ...result }, redact),
        human: redact(describeStatus(result)),
        exitCode: result.safe ? EXIT_OK : EXIT_FOUND_PROBLEMS,
      };
    }));
}

const LABEL = { passed: 'PASSED ', failed: 'FAILED ', skipped: 'SKIPPED' } as const;

export function describeStatus(result: StatusResult): string {
  const width = Math.max(...result.checks.map((c) => c.title.length));
  return [
    `Cutover checklist, stage: ${describeStage(result.stage)}`,
    ...result.checks.flatMap((c) => [`  ${LABEL[c.status]}  ${c.title.padEnd(width)}  ${c.reason}`, ...detailLines(c)]),
    result.verdict,
  ].join('\n');
}

/** Most mirrors listed under the mirror check (the newest first); the rest are counted. */
const MIRRORS_SHOWN = 20;

/** Under the mirror check, one line per process that mirrored, so no process hides behind another. */
function detailLines(check: StatusResult['checks'][number]): string[] {
  const mirrors = check.id === 'mirror' ? (check.details?.mirrors as MirrorRow[] | undefined) : undefined;
  if (!mirrors || mirrors.length === 0) return [];
  const indent = ' '.repeat(13);
  const lines = mirrors.slice(0, MIRRORS_SHOWN).map((m) => {
    const state = m.closed ? 'closed' : 'running';
    return `${indent}pid ${m.pid} on ${m.host} (${m.primarySide} answering), ${state}, last report ${displayTime(m.updatedAt.toISOString())} UTC: ${m.applied} of ${m.enqueued} op(s) applied, lag ${m.lagMs} ms, ${m.queueDepth} queued, ${m.gaps} gap(s), ${m.outages} outage(s)`;
  });
  if (mirrors.length > MIRRORS_SHOWN) lines.push(`${indent}... and ${mirrors.length - MIRRORS_SHOWN} older mirror(s) (all in --json)`);
  return lines;
}
