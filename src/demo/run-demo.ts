/**
 * `swarm-registry demo`: the canary rehearsal of the runbook (docs/runbook.md) on a throwaway PostgreSQL and a fresh
 * SQLite registry in a temporary folder, explained as it goes. Everything is removed at the end,
 * and on Ctrl-C.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectPostgres, seedRegistry } from '../migrate';
import { summarizeDivergences } from '../shadow/report';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { runInMode, type ModeRun } from './modes';
import { command, heading, indented, look, say, seconds } from './narrate';
import { count } from '../cli/output';
import { runCli, type CliMain } from './run-cli';
import { summaryTable, type SummaryRow } from './summary';

export interface DemoOptions {
  /** Rows of the generated registry. */
  rows: number;
  /** Keep the temporary folder (and say where it is). */
  keep: boolean;
  /** Runs one `swarm-registry` command in this process (the CLI's `main`). */
  main: CliMain;
}

const STEPS = 10;

export async function runDemo(options: DemoOptions): Promise<number> {
  const started = Date.now();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'swarm-registry-demo-'));
  let server: EmbeddedServer | null = null;
  const cleanUp = (): void => { if (!options.keep) fs.rmSync(folder, { recursive: true, force: true }); };
  const interrupted = (): void => {
    process.stdout.write(`\nInterrupted: stopping the demo's PostgreSQL and removing ${folder}.\n`);
    void (server?.stop() ?? Promise.resolve()).finally(() => { cleanUp(); process.exit(130); });
  };
  process.on('exit', cleanUp); // last resort, synchronous: whatever ends the process
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await rehearse(folder, options, (s) => { server = s; }, started);
  } finally {
    await (server as EmbeddedServer | null)?.stop();
    cleanUp();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

async function rehearse(folder: string, options: DemoOptions, onServer: (s: EmbeddedServer) => void, started: number): Promise<number> {
  const file = path.join(folder, 'registry.db');
  const rows: SummaryRow[] = [];
  const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
    const t0 = process.hrtime.bigint();
    const value = await fn();
    return [value, Number(process.hrtime.bigint() - t0) / 1e6];
  };
  const cli = async (args: string[]) => {
    command(`swarm-registry ${args.join(' ')}`);
    const run = await runCli(options.main, args);
    indented(run.output);
    return run;
  };

  say('This rehearses the whole migration of the swarm engine\'s registry from SQLite to PostgreSQL, on a throwaway PostgreSQL and a generated registry in a temporary folder. Nothing outside that folder is touched, and everything is removed at the end.');

  heading(1, STEPS, 'Start a throwaway PostgreSQL');
  say('In production DATABASE_URL points at your server. Here PostgreSQL\'s binaries from the embedded-postgres package start one on a free loopback port, with its data in a temporary folder.');
  const [server, pgMs] = await timed(() => startEmbeddedPostgres({ password: `demo-${process.pid}` }));
  onServer(server);
  setEnvironment(file, server.url);
  say(`PostgreSQL is up (${seconds(pgMs)}). The commands below run with REGISTRY_DB=${file} and DATABASE_URL set to it.`);
  rows.push({ step: 'start PostgreSQL', outcome: 'embedded, loopback only', milliseconds: pgMs, asExpected: true });

  heading(2, STEPS, 'A registry shaped like production\'s');
  say('The engine keeps its registry in one SQLite file. This one is generated with every table, JSON, blobs, booleans, timestamps in both of SQLite\'s formats, VM ids stored as \'2.0\' (better-sqlite3 binds numbers as REAL), and what years of loose writes leave behind: rows whose references point nowhere (orphans) and values SQLite\'s loose typing let in.');
  const [seeded, seedMs] = await timed(() => seedRegistry(file, { rows: options.rows, orphans: true, loose: true }));
  const seededRows = Object.values(seeded).reduce((a, b) => a + b, 0);
  indented(Object.entries(seeded).map(([t, n]) => `${t.padEnd(20)} ${n}`).join('\n'));
  rows.push({ step: 'seed SQLite registry', outcome: `${seededRows} rows, orphans and loose values`, milliseconds: seedMs, asExpected: true });

  heading(3, STEPS, 'The engine today: sqlite mode');
  say('The engine changes one line, import Database from \'swarm-registry-adapter\' instead of \'better-sqlite3\'. With REGISTRY_BACKEND unset (sqlite) the adapter is better-sqlite3 itself. This runs an engine-like workload: template registration, dispatches in transactions, step tracking, heartbeats, lookups, and the errors the engine meets (a duplicate template, a run of a missing workflow, ...).');
  const today = runInMode({ file, databaseUrl: server.url, backend: 'sqlite', tag: 'today', vmBase: 10_000 });
  rows.push(workloadRow('workload, sqlite mode', today));
  describeWorkload(today);

  heading(4, STEPS, 'swarm-registry init');
  say('Runbook step 1. init takes an online backup of REGISTRY_DB next to it, then creates the engine_registry schema: the 8 tables with SQLite\'s keys and constraints, JSON as JSONB, BLOB as BYTEA, TIMESTAMP as TIMESTAMPTZ, text sorted as SQLite sorts it. It is safe to rerun.');
  const init = await cli(['init']);
  rows.push({ step: 'init', outcome: init.code === 0 ? 'backup taken, schema created' : `failed (exit ${init.code})`, milliseconds: init.milliseconds, asExpected: init.code === 0 });
  say('In production you would now restart the engine with REGISTRY_BACKEND=shadow, so that every write from here on reaches both databases while the copy runs.');

  heading(5, STEPS, 'swarm-registry backfill');
  say('Runbook step 2. backfill profiles the data before writing anything. PostgreSQL enforces what SQLite let through, so it refuses to copy until you decide what to do with each finding: no row is ever dropped without your say.');
  look('the "orphans" and "loose values" lines, and the exit code 1.');
  const refused = await cli(['backfill']);
  say('Here we choose to leave those rows out: --orphans=skip --loose=skip (rows pointing at a skipped row are skipped too). Each choice is recorded in PostgreSQL, so verify knows these rows are missing on purpose.');
  const backfill = await cli(['backfill', '--orphans=skip', '--loose=skip']);
  rows.push({ step: 'backfill', outcome: refused.code === 1 && backfill.code === 0 ? 'refused, then copied with --orphans=skip --loose=skip' : `exit ${refused.code} then ${backfill.code}`, milliseconds: refused.milliseconds + backfill.milliseconds, asExpected: refused.code === 1 && backfill.code === 0 });

  heading(6, STEPS, 'swarm-registry verify');
  say('verify compares the two databases table by table, by checksums of key ranges and then row by row where a range differs. In production you run verify --repair until it is clean.');
  look('"Clean" at the end, and exit code 0.');
  const verify1 = await cli(['verify']);
  rows.push({ step: 'verify', outcome: verify1.code === 0 ? 'clean' : `differences (exit ${verify1.code})`, milliseconds: verify1.milliseconds, asExpected: verify1.code === 0 });

  heading(7, STEPS, 'The canary: shadow mode, SQLite answers');
  say('Runbook step 3. With REGISTRY_BACKEND=shadow, SQLite still answers the engine, and every write (and sampled read) is repeated on PostgreSQL and the two answers compared. Any difference goes to the divergence log, which swarm-registry report summarises.');
  const edited = await editBehindTheAdaptersBack(server.url);
  const canary = runInMode({ file, databaseUrl: server.url, backend: 'shadow', primary: 'sqlite', tag: 'canary', vmBase: 20_000 }, (db) => {
    db.prepare('SELECT id, name, version FROM agents WHERE id = ?').get(edited.id);
  });
  rows.push(workloadRow('workload, shadow (SQLite answers)', canary));
  describeWorkload(canary);
  say(`Before this run, someone changed agent ${edited.id} in PostgreSQL by hand (its name is now "${edited.name}"), behind the adapter's back, as a manual fix or another tool might. The engine then read that agent in shadow mode: SQLite answered it, PostgreSQL's answer differed, and the divergence was logged.`);
  if (canary.shadow) indented(`shadow mode compared ${count(canary.shadow.compared)} answers: ${count(canary.shadow.matched)} the same, ${count(canary.shadow.diverged)} different; ${count(canary.shadow.mirrored)} writes mirrored to PostgreSQL.`);
  look('the statement that diverged, with both answers, and the verdict line of status.');
  const report = await cli(['report']);
  const caught = divergenceCount();
  rows.push({ step: 'report', outcome: caught > 0 ? `${caught} divergence(s) caught: the row changed by hand` : 'no divergence logged (one was expected)', milliseconds: report.milliseconds, asExpected: report.code === 0 && caught > 0 });
  process.env.REGISTRY_BACKEND = 'shadow';
  const caughtStatus = await cli(['status']);
  rows.push({ step: 'status during the canary', outcome: caughtStatus.code === 1 ? 'failed on the divergence, as it should' : `exit ${caughtStatus.code}`, milliseconds: caughtStatus.milliseconds, asExpected: caughtStatus.code === 1 });
  say('The fix for a row changed behind the adapter\'s back is verify --repair, which makes PostgreSQL match SQLite again. status then counts divergences from the repair on (--window with the time of the repair).');
  const repair = await cli(['verify', '--repair']);
  const repairedAt = new Date().toISOString();
  rows.push({ step: 'verify --repair', outcome: repair.code === 0 ? 'the edited row repaired' : `exit ${repair.code}`, milliseconds: repair.milliseconds, asExpected: repair.code === 0 });
  delete process.env.REGISTRY_BACKEND;

  heading(8, STEPS, 'The flip: shadow mode, PostgreSQL answers');
  say('Runbook step 4. REGISTRY_PRIMARY=postgres: PostgreSQL answers, SQLite still gets every write, so rolling back is one variable away and loses nothing while status shows no gap. verify confirms both sides still hold the same rows.');
  const flipped = runInMode({ file, databaseUrl: server.url, backend: 'shadow', primary: 'postgres', tag: 'flipped', vmBase: 30_000 });
  rows.push(workloadRow('workload, shadow (PostgreSQL answers)', flipped));
  describeWorkload(flipped);
  const verify2 = await cli(['verify']);
  rows.push({ step: 'verify after shadow mode', outcome: verify2.code === 0 ? 'clean' : `differences (exit ${verify2.code})`, milliseconds: verify2.milliseconds, asExpected: verify2.code === 0 });

  heading(9, STEPS, 'PostgreSQL only');
  say('Runbook step 5. REGISTRY_BACKEND=postgres: the registry lives in PostgreSQL alone. The engine\'s SQL is unchanged; the adapter translates it once per statement and returns what SQLite would have returned, down to column names, \'2.0\' VM ids and timestamps as text.');
  const postgres = runInMode({ file, databaseUrl: server.url, backend: 'postgres', tag: 'postgres', vmBase: 40_000 });
  rows.push(workloadRow('workload, postgres mode', postgres));
  describeWorkload(postgres);

  heading(10, STEPS, 'swarm-registry status');
  say('status is the cutover checklist, run with the engine\'s environment (here REGISTRY_BACKEND=postgres). It says PASSED, FAILED or SKIPPED for each check, and what to do next.');
  look('the verdict on the last line. Row counts drift now, as they should: SQLite no longer gets writes.');
  process.env.REGISTRY_BACKEND = 'postgres';
  const status = await cli(['status', '--window', repairedAt]);
  const shadowSkipped = canary.result === null;
  rows.push({ step: 'status', outcome: status.code === 0 ? 'all checks passed' : shadowSkipped ? 'mirror check failed: shadow mode skipped' : `failed (exit ${status.code})`, milliseconds: status.milliseconds, asExpected: status.code === 0 || shadowSkipped });
  if (shadowSkipped) say('The mirror check fails because shadow mode was skipped: no mirror has run, so the two databases were never compared live. That is exactly what status should say.');

  const total = Date.now() - started;
  process.stdout.write(`\n── Summary ${'─'.repeat(60)}\n${summaryTable(rows, total)}\n\n`);
  say(`In production: retire SQLite with REGISTRY_SQLITE_RETIRED=1, then swarm-registry status --code <engine folder> --data /opt/swarm-registry says when better-sqlite3 and the .db file are gone. docs/runbook.md has every step, what to look at, and how to roll back.`);
  if (options.keep) say(`The temporary folder stays: ${folder} (the PostgreSQL is stopped).`);
  const problems = rows.filter((r) => !r.asExpected);
  if (problems.length > 0) say(`${problems.length} step(s) did not go as expected (marked !): ${problems.map((r) => r.step).join(', ')}.`);
  return problems.length > 0 ? 1 : 0;
}

/** The demo's own settings, whatever the operator's shell holds (a real DATABASE_URL stays untouched). */
function setEnvironment(file: string, url: string): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('REGISTRY_')) delete process.env[name];
  process.env.REGISTRY_DB = file;
  process.env.DATABASE_URL = url;
}

function workloadRow(step: string, run: ModeRun): SummaryRow {
  if (run.result === null) return { step, outcome: 'skipped: not in this build yet', milliseconds: 0, asExpected: true };
  const r = run.result;
  const unexpected = r.unexpectedErrors.length;
  return { step, outcome: `${r.ok} ok, ${r.expectedErrors} expected errors${unexpected ? `, ${unexpected} unexpected` : ''}`, milliseconds: r.milliseconds, asExpected: unexpected === 0 };
}

function describeWorkload(run: ModeRun): void {
  if (run.result === null) {
    say(`Skipped: ${run.note ?? 'this mode is not available'} The rest of the rehearsal goes on without it.`);
    return;
  }
  const r = run.result;
  indented(`${r.ok} steps answered, ${r.expectedErrors} failed exactly as SQLite fails them (${r.steps.filter((s) => s.outcome === 'expected').map((s) => s.label).join(', ')}), in ${seconds(r.milliseconds)}.`);
  for (const e of r.unexpectedErrors) indented(`unexpected: ${e.label}: ${e.error}`);
}

function divergenceCount(): number {
  const log = process.env.REGISTRY_DIVERGENCE_LOG ?? `${process.env.REGISTRY_DB}.divergence.jsonl`;
  const summary = summarizeDivergences(log, { since: null });
  return summary.exists ? summary.totals.divergences : 0;
}

/** A hand-made change in PostgreSQL, the kind shadow mode exists to catch: one agent renamed. */
async function editBehindTheAdaptersBack(url: string): Promise<{ id: string; name: string }> {
  const client = await connectPostgres(url);
  try {
    const { rows } = await client.query<{ id: string; name: string }>(
      `UPDATE engine_registry.agents SET name = name || ' (edited by hand)'
        WHERE id = (SELECT id FROM engine_registry.agents ORDER BY id LIMIT 1) RETURNING id, name`,
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}
