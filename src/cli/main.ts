/**
 * `swarm-registry`: the migration CLI (docs/cli.md). Every command takes --json, exits non-zero on
 * failure and says what went wrong in one sentence. Each command loads what it runs (its
 * `require` inside the action), so a command, `--help` and a failure start without the rest.
 */
import { Command, CommanderError } from 'commander';
import { redactSecrets } from '../adapter';
import {
  registerBackfill, registerDemo, registerInit, registerReport, registerStatus, registerTranslate,
  registerVerify,
} from './commands';
import { EXIT_FAILED, EXIT_OK } from './output';

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
  registerDemo(program, main);
  acceptDatabaseUrlFlag(program);
  return program;
}

/** The commands that connect to PostgreSQL. */
const CONNECTING = new Set(['init', 'backfill', 'verify', 'status', 'translate']);

/**
 * `--database-url URL` on every command that connects, for a one-off run; it stands for
 * DATABASE_URL, so everything (redaction included) reads it from there. The variable stays the
 * better place for a password: a flag is visible in the process list.
 */
function acceptDatabaseUrlFlag(program: Command): void {
  for (const command of program.commands) {
    if (CONNECTING.has(command.name())) {
      command.option('--database-url <url>', 'the PostgreSQL URL, instead of DATABASE_URL (the variable keeps the password out of the process list)');
    }
  }
  program.hook('preAction', (_program, command) => {
    const url = command.opts<{ databaseUrl?: string }>().databaseUrl;
    if (url !== undefined) process.env.DATABASE_URL = url;
  });
}

/** Help and --version end well; any other complaint of commander is bad usage. */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return COMMANDER_SUCCESS.has(error.code) ? EXIT_OK : EXIT_FAILED;
    process.stderr.write(`swarm-registry: ${redactSecrets((error as Error).message, process.env.DATABASE_URL)}\n`);
    return EXIT_FAILED;
  }
}
