/** `swarm-registry verify [--repair [--from sqlite|postgres]] [--json]` */
import { Option, type Command } from 'commander';
import { action, type CommandOutcome, count, EXIT_FOUND_PROBLEMS, EXIT_OK, progressDisplay, type VerifyJson } from '../output';
import { describeRowProblem } from '../../migrate/compare';
import { readSettings } from '../../migrate/core';
import type { VerifyResult } from '../../migrate/results';

interface VerifyFlags {
  repair?: boolean;
  from?: 'sqlite' | 'postgres';
  chunkRows?: string;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Compare SQLite and PostgreSQL table by table (checksums per key range, then rows); exit code 1 when they differ.')
    .option('--repair', 'make the other side match the source: insert missing rows, update different ones, delete extra ones')
    .addOption(new Option('--from <source>', 'the side --repair copies from (postgres: the rollback after the cutover)').choices(['sqlite', 'postgres']).default('sqlite'))
    .option('--chunk-rows <n>', 'rows per compared key range', '5000')
    .option('--json', 'print one JSON document')
    .action(action(async (flags: VerifyFlags): Promise<CommandOutcome<VerifyJson>> => {
      const settings = readSettings();
      const display = progressDisplay('verify');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runVerify } = require('../../migrate/verify') as typeof import('../../migrate/verify');
      const result = await runVerify({
        ...settings,
        ...(flags.repair ? { repair: flags.from === 'postgres' ? 'sqlite' as const : 'postgres' as const } : {}),
        chunkRows: Number(flags.chunkRows) || 5000,
        onProgress: (p) => display.update(p.done, p.total, p.table),
      }).finally(() => display.stop());
      // Repaired: all well only when no row was left; otherwise the differences stand.
      const settled = result.repair ? result.repair.left.length === 0 : result.clean;
      return {
        document: { ok: true, ...result },
        human: describeVerify(result),
        exitCode: settled ? EXIT_OK : EXIT_FOUND_PROBLEMS,
      };
    }));
}

function describeVerify(result: VerifyResult): string {
  const lines = [`Compared ${count(result.rows)} rows in ${result.seconds.toFixed(1)} s (${count(result.rowsPerSecond)} rows/s).`];
  for (const t of result.tables) {
    const status = t.missing + t.extra + t.different === 0 ? 'same' : `${t.missing} missing in PostgreSQL, ${t.extra} extra in PostgreSQL, ${t.different} different`;
    const rows = t.sqliteRows === t.postgresRows ? `${count(t.sqliteRows)} rows on each side` : `${count(t.sqliteRows)} rows in SQLite, ${count(t.postgresRows)} in PostgreSQL`;
    lines.push(`  ${t.table.padEnd(20)} ${rows}: ${status}${t.exceptions ? ` (${t.exceptions} skipped or nulled by the backfill, as chosen)` : ''}`);
    for (const s of t.samples) {
      const columns = s.columns?.map((c) => `${c.column}: ${JSON.stringify(c.sqlite)} in SQLite, ${JSON.stringify(c.postgres)} in PostgreSQL`).join('; ');
      lines.push(`      ${s.kind} ${s.key}${columns ? ` (${columns})` : ''}`);
    }
  }
  if (result.problems.length > 0) {
    lines.push(`${result.problems.length} differing row(s) hold a value the other side cannot hold:`);
    for (const p of result.problems) lines.push(`  ${describeRowProblem(p)}`);
  }
  if (result.repair) {
    const side = result.repair.direction === 'postgres' ? 'PostgreSQL' : 'SQLite';
    lines.push(`Repaired ${side}: ${result.repair.written} rows written, ${result.repair.deleted} deleted. Run verify again to confirm.`);
    if (result.repair.left.length > 0) {
      lines.push(`Left as they are: ${result.repair.left.length} row(s) ${side} cannot take; fix each at its source (or delete it there), then run verify --repair again:`);
      for (const p of result.repair.left) lines.push(`  ${describeRowProblem(p)}`);
    }
  } else {
    lines.push(result.clean ? 'Clean: both databases hold the same rows.' : 'They differ: run swarm-registry verify --repair to make PostgreSQL match SQLite.');
  }
  return lines.join('\n');
}
