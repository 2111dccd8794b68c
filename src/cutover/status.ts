/**
 * `swarm-registry status` (docs/cli.md, status): the cutover checklist. Each line passes, fails (saying
 * what to do) or is skipped (not asked, or not applicable yet); the verdict is the runbook's next
 * step when nothing failed, or the first failure's remedy.
 */
import fs from 'node:fs';
import { MigrationError } from '../migrate';
import { checkChangeLog, checkCode, checkCounts, checkData, checkDivergences, checkMirror, checkReachable, checkTables } from './checks';
import { type CheckResult, type CutoverStage, nextStep, skipped } from './stage';

export interface StatusOptions {
  registryDb: string;
  databaseUrl: string;
  pgSchema: string;
  stage: CutoverStage;
  divergenceLog: string;
  /** The window as given (`24h`), its start, and how it reads in a sentence. */
  window: string;
  since: Date | null;
  windowLabel: string;
  codeDir?: string;
  dataDir?: string;
  now?: Date;
}

export interface StatusResult {
  stage: CutoverStage;
  /** Nothing asked failed. */
  safe: boolean;
  verdict: string;
  checks: CheckResult[];
}

export async function runStatus(options: StatusOptions): Promise<StatusResult> {
  for (const [flag, dir] of [['--code', options.codeDir], ['--data', options.dataDir]] as const) {
    if (dir !== undefined && !isDirectory(dir)) throw new MigrationError(`${flag} ${dir} is not a folder: give the path of the engine's ${flag === '--code' ? 'code' : 'data'} folder.`, 2);
  }
  const checks: CheckResult[] = [];
  const reachable = await checkReachable(options.databaseUrl);
  checks.push(reachable.check);
  const client = reachable.client;
  try {
    if (client === null) {
      const why = 'PostgreSQL is not reachable.';
      checks.push(skipped('tables', `All 8 tables in ${options.pgSchema}`, why), skipped('counts', 'Row counts equal', why), skipped('mirror', 'Mirror lag and gaps', why), skipped('changelog', 'Change log applied', why));
    } else {
      const tables = await checkTables(client, options.pgSchema, options.databaseUrl);
      checks.push(tables);
      checks.push(tables.status === 'passed'
        ? await checkCounts(client, options.pgSchema, options.registryDb, options.stage)
        : skipped('counts', 'Row counts equal', `The schema is incomplete.`));
      checks.push(await checkMirror(client, { schema: options.pgSchema, stage: options.stage, since: options.since, windowLabel: options.windowLabel, now: options.now ?? new Date() }));
      checks.push(await checkChangeLog(client, options.pgSchema, options.registryDb, options.now ?? new Date(), options.stage));
    }
  } finally {
    await client?.end().catch(() => undefined);
  }
  checks.push(checkDivergences({ log: options.divergenceLog, since: options.since, window: options.window, windowLabel: options.windowLabel, databaseUrl: options.databaseUrl }));
  checks.push(options.codeDir !== undefined ? checkCode(options.codeDir) : skipped('code', 'No better-sqlite3 left in the code', 'Not asked: pass --code DIR (the engine\'s folder) once SQLite is retired.'));
  checks.push(options.dataDir !== undefined ? checkData(options.dataDir) : skipped('data', 'No .db file left in the data folder', 'Not asked: pass --data DIR (e.g. /opt/swarm-registry) once SQLite is retired.'));
  const failures = checks.filter((c) => c.status === 'failed');
  const removalChecked = options.codeDir !== undefined && options.dataDir !== undefined;
  const verdict = failures.length === 0
    ? nextStep(options.stage, options.registryDb, removalChecked)
    : `Not safe to go on (${failures.length} check(s) failed). ${failures[0]!.title}: ${failures[0]!.reason}`;
  return { stage: options.stage, safe: failures.length === 0, verdict, checks };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
