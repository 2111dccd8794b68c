/** `swarm-registry backfill [--orphans skip|null] [--loose skip|null] [--restart] [--json]` */
import { Option, type Command } from 'commander';
import { readSettings } from '../../migrate/core';
import { type Choice, describeProfile } from '../../migrate/profile';
import type { BackfillResult, DryRunResult } from '../../migrate/results';
import { action, type BackfillDryRunJson, type BackfillJson, type CommandOutcome, count, progressDisplay } from '../output';

interface BackfillFlags {
  dryRun?: boolean;
  orphans?: Choice;
  loose?: Choice;
  restart?: boolean;
  chunkRows?: string;
  json?: boolean;
}

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description('Copy every row from REGISTRY_DB into PostgreSQL (one snapshot, COPY, resumable); orphan rows and loose values are reported first and stop the copy until you choose.')
    .addOption(new Option('--orphans <choice>', 'rows whose reference points nowhere: skip the row, or null the reference').choices(['skip', 'null']))
    .addOption(new Option('--loose <choice>', 'values PostgreSQL would refuse: skip the row, or null the value').choices(['skip', 'null']))
    .option('--restart', 'forget earlier progress and go over every row again (rows already copied are kept, not duplicated)')
    .option('--chunk-rows <n>', 'rows per committed chunk', '10000')
    .option('--dry-run', 'copy nothing: show, per table, what each choice for --orphans and --loose would leave out or null, rows that depend on a skipped row included')
    .option('--json', 'print one JSON document')
    .action(action(async (flags: BackfillFlags): Promise<CommandOutcome<BackfillJson | BackfillDryRunJson>> => {
      const choices = { ...(flags.orphans ? { orphans: flags.orphans } : {}), ...(flags.loose ? { loose: flags.loose } : {}) };
      if (flags.dryRun) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { backfillDryRun } = require('../../migrate/backfill') as typeof import('../../migrate/backfill');
        const dry = backfillDryRun(readSettings(process.env, false).registryDb, choices);
        return { document: { ok: true, dryRun: true, ...dry }, human: describeDryRun(dry) };
      }
      const settings = readSettings();
      const display = progressDisplay('backfill');
      const stopInterrupted = onInterrupt(() => {
        display.stop();
        process.stderr.write('\nswarm-registry: backfill interrupted. Every chunk committed so far is kept: run the same swarm-registry backfill command again to resume where it stopped.\n');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runBackfill } = require('../../migrate/backfill') as typeof import('../../migrate/backfill');
      const result = await runBackfill({
        ...settings,
        choices,
        restart: flags.restart === true,
        chunkRows: Number(flags.chunkRows) || 10000,
        onProfile: (profile) => { if (!flags.json) process.stderr.write(describeProfile(profile)); },
        onProgress: (p) => display.update(p.done, p.total, p.table),
      }).finally(() => {
        stopInterrupted();
        display.stop();
      });
      return { document: { ok: true, ...result }, human: describeBackfill(result) };
    }));
}

function describeBackfill(result: BackfillResult): string {
  const lines = result.tables.map((t) =>
    `  ${t.table.padEnd(20)} ${count(t.copied).padStart(10)} copied` +
    (t.copiedEarlier ? `, ${count(t.copiedEarlier)} by an earlier run` : '') +
    (t.alreadyPresent ? `, ${count(t.alreadyPresent)} already present (kept)` : '') +
    (t.skipped ? `, ${count(t.skipped)} skipped` : ''));
  const exceptions = result.exceptions.slice(0, 20).map((e) => `  ${e.column ? 'nulled ' + e.table + '.' + e.column : 'skipped ' + e.table} ${e.key}: ${e.reason}`);
  if (result.exceptions.length > 20) exceptions.push(`  ... and ${result.exceptions.length - 20} more (all in ${'_registry_backfill_exceptions'}, and in --json)`);
  return [
    ...(result.start ? [result.start] : []),
    `Copied ${count(result.copied)} rows in ${result.seconds.toFixed(1)} s (${count(result.rowsPerSecond)} rows/s):`,
    ...lines,
    ...(exceptions.length ? ['As you chose:', ...exceptions] : []),
    ...result.danglingReferences.map((d) => `Warning: ${d}; run swarm-registry verify.`),
    'Next: swarm-registry verify (add --repair to fix what differs).',
  ].join('\n');
}

/**
 * Ctrl-C (or a SIGTERM) during a copy: says that progress is kept and how to resume, then ends with
 * the signal's conventional exit code. Returns the function that removes the handlers.
 */
function onInterrupt(say: () => void): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = (): void => {
      say();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return () => process.removeListener(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}

function describeDryRun(dry: DryRunResult): string {
  const lines = [describeProfile(dry.profile).trimEnd(), '', 'Dry run: nothing copied. What each choice would do:'];
  for (const outcome of dry.outcomes) {
    lines.push('', `swarm-registry backfill ${outcome.flags === '(no choice needed)' ? '' : outcome.flags}`.trimEnd() + ':');
    if (outcome.refusal) {
      lines.push(`  refused: ${outcome.refusal}`);
      continue;
    }
    lines.push(`  leaves out ${count(outcome.skippedRows)} row(s) and nulls ${count(outcome.nulledValues)} value(s)`);
    for (const t of outcome.tables) {
      if (!t.skipped && !t.dependents && !t.nulled) continue;
      const parts = [
        t.skipped ? `${count(t.skipped)} skipped` : '',
        t.dependents ? `${count(t.dependents)} skipped because a row they point at is skipped` : '',
        t.nulled ? `${count(t.nulled)} value(s) nulled` : '',
      ].filter(Boolean);
      lines.push(`    ${t.table.padEnd(20)} of ${count(t.rows).padStart(8)}: ${parts.join(', ')}`);
    }
  }
  return lines.join('\n');
}
