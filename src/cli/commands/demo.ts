/** `swarm-registry demo [--rows N] [--keep]` */
import type { Command } from 'commander';
import { MigrationError } from '../../migrate/results';
import { writeFailure } from '../output';
import type { CliMain } from '../../demo';

interface DemoFlags {
  rows: string;
  keep?: boolean;
}

/** `main` is the CLI's entry: the demo runs the other commands through it, in this process. */
export function registerDemo(program: Command, main: CliMain): void {
  program
    .command('demo')
    .description('A full canary rehearsal on an embedded PostgreSQL: seed a registry, init, backfill, verify, an engine-like workload in each mode, report, status. Everything is removed at the end.')
    .option('--rows <n>', 'rows of the generated registry', '3000')
    .option('--keep', 'keep the temporary folder (the registry file and logs) at the end')
    .action(async (flags: DemoFlags) => {
      try {
        const rows = Number(flags.rows);
        if (!Number.isInteger(rows) || rows < 100 || rows > 1_000_000) throw new MigrationError(`--rows ${JSON.stringify(flags.rows)} is not valid: use a whole number from 100 to 1000000.`, 2);
        // Required when run, not imported: the demo (and the embedded PostgreSQL) loads only for `demo`.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { runDemo } = require('../../demo') as typeof import('../../demo');
        const code = await runDemo({ rows, keep: flags.keep === true, main });
        process.exitCode = code;
      } catch (error) {
        writeFailure(error, {});
      }
    });
}
