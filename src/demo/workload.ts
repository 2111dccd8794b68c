/**
 * An engine-like workload on the registry, through the facade: what the swarm engine does with
 * better-sqlite3 (start-up pragmas and schema, template registration, dispatch in transactions,
 * step tracking, VM ids bound as numbers, heartbeats with datetime('now'), lookups, and the errors
 * it meets: a duplicate template, a duplicate webhook path, a run of a missing workflow, a dispatch
 * that fails half way). Each run writes its own rows (ids start with `tag`), so it can run again
 * in another mode on the same registry. Used by `swarm-registry demo` and the runbook test.
 */
import { REGISTRY_SQLITE_DDL } from '../schema';
import type { Database } from '../adapter/api';

export interface WorkloadOptions {
  /** Prefix of every id this run writes (`canary` → `canary-agent-0`). */
  tag: string;
  /** First VM id this run binds (as a JS number, as the engine does): runs must not overlap. */
  vmBase: number;
  /** Dispatches to run (each: one run, three steps, three VM assignments). */
  dispatches?: number;
}

export interface WorkloadStep {
  label: string;
  /** `ok`; `expected` (the error SQLite raises too); `error` (anything else). */
  outcome: 'ok' | 'expected' | 'error';
  /** The error's code and message, for `expected` and `error`. */
  error?: string;
}

export interface WorkloadResult {
  steps: WorkloadStep[];
  ok: number;
  expectedErrors: number;
  unexpectedErrors: WorkloadStep[];
  milliseconds: number;
}

/** The engine's start-up DDL: the registry's tables, created when missing. */
const ENGINE_INIT = REGISTRY_SQLITE_DDL.replace(/CREATE TABLE /g, 'CREATE TABLE IF NOT EXISTS ');

export function runEngineWorkload(db: Database, options: WorkloadOptions): WorkloadResult {
  const started = process.hrtime.bigint();
  const steps: WorkloadStep[] = [];
  const step = (label: string, fn: () => unknown, expect?: string): void => {
    try {
      fn();
      steps.push(expect ? { label, outcome: 'error', error: `expected ${expect}, but it succeeded` } : { label, outcome: 'ok' });
    } catch (error) {
      const e = error as { code?: string; message?: string };
      const text = `${e.code ?? 'Error'}: ${e.message ?? String(error)}`;
      steps.push({ label, outcome: expect !== undefined && e.code?.startsWith(expect) ? 'expected' : 'error', error: text });
    }
  };
  const { tag, vmBase } = options;
  const id = (kind: string, n: number | string) => `${tag}-${kind}-${n}`;

  step('start-up pragmas', () => { db.pragma('journal_mode = WAL'); db.pragma('foreign_keys', { simple: true }); });
  step('start-up schema (CREATE TABLE IF NOT EXISTS)', () => db.exec(ENGINE_INIT));

  const addAgent = db.prepare(`INSERT OR REPLACE INTO agents (id, name, version, path, description, capabilities, inputs_schema, tags)
    VALUES (@id, @name, @version, @path, @description, @capabilities, @inputs, @tags)`);
  const register = db.transaction((agents: Array<Record<string, unknown>>) => agents.reduce((n: number, a) => n + addAgent.run(a).changes, 0));
  const agents = Array.from({ length: 6 }, (_, i) => ({
    id: id('agent', i), name: `${tag}-agent-${i % 3}`, version: `1.${Math.floor(i / 3)}.0`, path: `/opt/agents/${tag}/${i}`,
    description: i % 2 ? `Agent ${i}\twith a tab` : null, capabilities: JSON.stringify({ tools: ['git', 'node'], level: i }),
    inputs: JSON.stringify({ type: 'object' }), tags: JSON.stringify([`t${i % 3}`]),
  }));
  step('register agent templates', () => register(agents));
  step('register again (INSERT OR REPLACE)', () => register(agents.slice(0, 2)));
  step('duplicate template name+version', () => db.prepare('INSERT INTO agents (id, name, version, path) VALUES (?, ?, ?, ?)').run(id('agent', 'dup'), `${tag}-agent-0`, '1.0.0', '/x'), 'SQLITE_CONSTRAINT');

  const addWorkflow = db.prepare('INSERT INTO workflows (id, name, version, path, steps, enabled, trigger_type, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  step('register workflows', () => {
    for (let i = 0; i < 3; i++) addWorkflow.run(id('wf', i), `${tag}-flow-${i}`, '1.0.0', `/wf/${i}`, JSON.stringify([{ id: 'a', agent: id('agent', 0) }]), i % 2, i % 2 ? 'webhook' : 'cron', JSON.stringify(['x']));
  });
  step('store a secret (BLOB)', () => db.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)').run(id('sec', 1), id('wf', 1), 'API_KEY', Buffer.from([0, 1, 2, 255])));
  step('add a webhook trigger', () => db.prepare("INSERT INTO triggers (id, workflow_id, type, webhook_path, webhook_secret, enabled) VALUES (?, ?, 'webhook', ?, 'whsec_demo', 1)").run(id('trg', 1), id('wf', 1), `/hooks/${tag}`));
  step('duplicate webhook path', () => db.prepare("INSERT INTO triggers (id, workflow_id, type, webhook_path) VALUES (?, ?, 'webhook', ?)").run(id('trg', 2), id('wf', 2), `/hooks/${tag}`), 'SQLITE_CONSTRAINT');
  step('run of a missing workflow', () => db.prepare('INSERT INTO workflow_runs (id, workflow_id) VALUES (?, ?)').run(id('run', 'x'), id('wf', 'missing')), 'SQLITE_CONSTRAINT');

  const startRun = db.prepare("INSERT INTO workflow_runs (id, workflow_id, workflow_version, status, trigger_data, started_at) VALUES (?, ?, '1.0.0', 'running', ?, ?)");
  const addStep = db.prepare('INSERT INTO step_executions (id, run_id, step_id, agent_id, agent_name, status, vm_id, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const finishStep = db.prepare("UPDATE step_executions SET status = 'completed', outputs = ?, duration_ms = ? WHERE id = ?");
  const assignVm = db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status) VALUES (?, ?, ?, 'running')");
  const finishRun = db.prepare("UPDATE workflow_runs SET status = 'completed', total_vm_time_ms = total_vm_time_ms + ? WHERE id = ?");
  const dispatch = db.transaction((n: number) => {
    startRun.run(id('run', n), id('wf', n % 3), JSON.stringify({ n }), `2026-03-0${1 + (n % 9)} 10:00:00`);
    for (let s = 0; s < 3; s++) {
      const vm = vmBase + n * 10 + s; // a JS number into a TEXT column: SQLite stores '<n>.0'
      addStep.run(id('step', `${n}-${s}`), id('run', n), `s${s}`, id('agent', s), `${tag}-agent-${s}`, 'running', vm, JSON.stringify({ s }));
      assignVm.run(vm, `${tag}-T-${n}`, `2026-03-01T10:00:0${s}.000Z`);
      finishStep.run(JSON.stringify({ ok: s !== 2 }), 100 * s + n, id('step', `${n}-${s}`));
    }
    return finishRun.run(4_294_967_296 + n, id('run', n)).changes;
  });
  const dispatches = options.dispatches ?? 8;
  step(`dispatch ${dispatches} runs (one transaction each)`, () => { for (let n = 0; n < dispatches; n++) dispatch(n); });
  step('dispatch that fails half way (rolled back)', () => dispatch(1), 'SQLITE_CONSTRAINT');

  const like = `${tag}-%`;
  step('VM lookup by number', () => db.prepare('SELECT ticket_id FROM vm_assignments WHERE vm_id = ?').get(vmBase + 21));
  step('runs per workflow', () => db.prepare('SELECT workflow_id, COUNT(*) AS runs, SUM(total_vm_time_ms) AS ms FROM workflow_runs WHERE id LIKE ? GROUP BY workflow_id ORDER BY workflow_id').all(like));
  step('COUNT(*) of completed steps', () => db.prepare("SELECT COUNT(*) FROM step_executions WHERE status = 'completed' AND id LIKE ?").get(like));
  step('enabled workflows by name', () => db.prepare('SELECT id, name, enabled FROM workflows WHERE enabled = 1 AND id LIKE ? ORDER BY name').all(like));
  step('JSON field of a template', () => db.prepare("SELECT json_extract(capabilities, '$.level') AS level FROM agents WHERE id = ?").get(id('agent', 4)));
  step('case-insensitive LIKE', () => db.prepare('SELECT id FROM agents WHERE name LIKE ? ORDER BY id').pluck().all(`${tag.toUpperCase()}-AGENT-1%`));
  step('iterate and stop early', () => {
    const out: unknown[] = [];
    for (const row of db.prepare('SELECT id FROM step_executions WHERE id LIKE ? ORDER BY id').iterate(like)) { out.push(row); if (out.length === 3) break; }
  });
  step('secret back as a Buffer', () => db.prepare('SELECT encrypted_value FROM secrets WHERE id = ?').pluck().get(id('sec', 1)));
  step("heartbeat with datetime('now')", () => db.prepare("UPDATE vm_assignments SET heartbeat_at = datetime('now'), status = 'idle' WHERE ticket_id = ?").run(`${tag}-T-1`));
  step('stale VMs', () => db.prepare("SELECT COUNT(*) AS n FROM vm_assignments WHERE ticket_id LIKE ? AND (heartbeat_at < datetime('now', '-5 minutes') OR heartbeat_at IS NULL)").get(like));
  step('store an artifact', () => db.prepare('INSERT INTO execution_artifacts (id, ticket_id, artifact_type, content, created_at) VALUES (?, ?, ?, ?, ?)').run(id('art', 1), `${tag}-T-1`, 'log', 'hello\nworld', '2026-03-01 10:00:00'));
  step('delete old artifacts', () => db.prepare('DELETE FROM execution_artifacts WHERE ticket_id = ? AND created_at < ?').run(`${tag}-T-1`, '2026-04-01'));

  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    steps,
    ok: steps.filter((s) => s.outcome === 'ok').length,
    expectedErrors: steps.filter((s) => s.outcome === 'expected').length,
    unexpectedErrors: steps.filter((s) => s.outcome === 'error'),
    milliseconds,
  };
}
