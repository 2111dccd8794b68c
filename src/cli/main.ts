/**
 * `swarm-registry`: the migration CLI (docs/cli.md). Every command takes --json, exits non-zero on
 * failure and says what went wrong in one sentence.
 */
import { Command, CommanderError } from 'commander';
import { redactSecrets } from '../adapter/redact';
import { registerBackfill } from './commands/backfill';
import { registerInit } from './commands/init';
import { registerVerify } from './commands/verify';
import { registerReport } from './commands/report';
import { registerStatus } from './commands/status';
import { registerTranslate } from './commands/translate';
import { registerDemo } from './commands/demo';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('swarm-registry')
    .description('Moves the swarm engine registry from SQLite to PostgreSQL: schema, data copy, verification, divergence reports, cutover checklist.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run swarm-registry --help for the commands)')
    .exitOverride();
  registerInit(program);
  registerBackfill(program);
  registerVerify(program);
  registerReport(program);
  registerStatus(program);
  registerTranslate(program);
  registerDemo(program);
  return program;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`swarm-registry: ${redactSecrets((error as Error).message, process.env.DATABASE_URL)}\n`);
    return 1;
  }
}
