/** `swarm-registry backfill [--orphans skip|null] [--loose skip|null] [--restart] [--json]` */
import { Option, type Command } from 'commander';
import { runBackfill, type BackfillResult } from '../../migrate/backfill';
import type { Choice } from '../../migrate/exceptions';
import { describeProfile } from '../../migrate/profile-report';
import { progressDisplay } from '../../migrate/progress-display';
import { readSettings } from '../../migrate/settings';
import type { BackfillJson } from '../documents';
import { action, count, type CommandOutcome } from '../output';

interface BackfillFlags {
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
    .option('--json', 'print one JSON document')
    .action(action(async (flags: BackfillFlags): Promise<CommandOutcome<BackfillJson>> => {
      const settings = readSettings();
      const display = progressDisplay('backfill');
      const result = await runBackfill({
        ...settings,
        choices: { ...(flags.orphans ? { orphans: flags.orphans } : {}), ...(flags.loose ? { loose: flags.loose } : {}) },
        restart: flags.restart === true,
        chunkRows: Number(flags.chunkRows) || 10000,
        onProfile: (profile) => { if (!flags.json) process.stderr.write(describeProfile(profile)); },
        onProgress: (p) => display.update(p.done, p.total, p.table),
      }).finally(() => display.stop());
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
    `Copied ${count(result.copied)} rows in ${result.seconds.toFixed(1)} s (${count(result.rowsPerSecond)} rows/s):`,
    ...lines,
    ...(exceptions.length ? ['As you chose:', ...exceptions] : []),
    ...result.danglingReferences.map((d) => `Warning: ${d}; run swarm-registry verify.`),
    'Next: swarm-registry verify (add --repair to fix what differs).',
  ].join('\n');
}
