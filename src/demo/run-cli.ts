/**
 * Runs one `swarm-registry` command inside the demo's process, as the operator would type it,
 * capturing what it prints so the demo can show it indented (stderr — the profile, progress and
 * one-sentence errors — is captured too).
 */

export interface CliRun {
  code: number;
  output: string;
  milliseconds: number;
}

/** The CLI's entry, `main` of src/cli/main.ts: handed in by the demo command, which the CLI registers. */
export type CliMain = (argv: string[]) => Promise<number>;

export async function runCli(main: CliMain, args: string[]): Promise<CliRun> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const started = process.hrtime.bigint();
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined; // each command sets it; the demo decides its own
  }
  return { code, output: chunks.join(''), milliseconds: Number(process.hrtime.bigint() - started) / 1e6 };
}
