/**
 * Conventions every `swarm-registry` command shares: `--json` prints one JSON document on stdout
 * (progress and nothing else goes to stderr), human output otherwise; exit code 0 for success,
 * 1 when the command ran and found a problem (differences, a refused copy), 2 when it could not do
 * its job; and a failure is one sentence on stderr, saying what to do, without a stack trace or a
 * password.
 */
import { redactSecrets } from '../../adapter';
import { redactText, redactTree } from '../../policy';
import { MigrationError } from '../../migrate/results';
import type { FailureJson } from './documents';

export const EXIT_OK = 0;
export const EXIT_FOUND_PROBLEMS = 1;
export const EXIT_FAILED = 2;

export interface OutputOptions {
  json?: boolean;
}

/** The outcome of a command: its JSON document (documents.ts), its human text, and its exit code. */
export interface CommandOutcome<D extends object = object> {
  document: D;
  human: string;
  exitCode?: number;
}

/**
 * Every command's output passes the secrecy policy last: any secret value the command has seen
 * (verify and repair read the secret columns) and any password of DATABASE_URL is replaced.
 */
export function writeOutcome(outcome: CommandOutcome<object>, options: OutputOptions): void {
  const context = { databaseUrl: process.env.DATABASE_URL ?? null };
  if (options.json) process.stdout.write(`${JSON.stringify(redactTree(outcome.document, context), null, 2)}\n`);
  else {
    const human = redactText(outcome.human, context);
    process.stdout.write(human.endsWith('\n') ? human : `${human}\n`);
  }
  process.exitCode = outcome.exitCode ?? EXIT_OK;
}

/** One sentence for any error: a MigrationError's own, or a generic one, redacted either way. */
export function errorSentence(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const sentence = redactText(redactSecrets(message.split('\n')[0]!.trim(), process.env.DATABASE_URL), { databaseUrl: process.env.DATABASE_URL ?? null });
  if (error instanceof MigrationError) return sentence;
  return `${sentence.replace(/\.$/, '')}; fix the cause and run the command again.`;
}

export function writeFailure(error: unknown, options: OutputOptions): void {
  const sentence = errorSentence(error);
  const exitCode = error instanceof MigrationError && error.exitCode !== 1 ? error.exitCode : refusalOrFailure(error);
  if (options.json) {
    const details = (error instanceof MigrationError ? error.details ?? {} : {}) as Omit<FailureJson, 'ok' | 'error'>;
    const document: FailureJson = { ok: false, error: sentence, ...details };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }
  process.stderr.write(`swarm-registry: ${sentence}\n`);
  process.exitCode = exitCode;
}

function refusalOrFailure(error: unknown): number {
  return error instanceof MigrationError && error.message.startsWith('Refusing to copy') ? EXIT_FOUND_PROBLEMS : EXIT_FAILED;
}

/** Wraps a command's action: its outcome or its failure, printed by the conventions above. */
export function action<A extends unknown[], D extends object>(run: (...args: A) => Promise<CommandOutcome<D>>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const options = (args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a) && 'json' in a) ?? {}) as OutputOptions;
    try {
      writeOutcome(await run(...args), options);
    } catch (error) {
      writeFailure(error, options);
    }
  };
}

/** `n` with thousands separators, for human output. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A document with every string passed through `redact` (a belt to the braces of code that already redacts). */
export function redactDocument<D extends object>(document: D, redact: (text: string) => string): D {
  return JSON.parse(redact(JSON.stringify(document))) as D;
}
