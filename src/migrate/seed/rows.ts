/** The row generators of seed.ts, one per table; each returns how many rows it wrote. */
import type BetterSqlite3 from 'better-sqlite3';
import type { SeedOptions } from './options';

export interface SeedContext {
  random: () => number;
  /** Rows wanted per table (parents' counts are read to pick references). */
  counts: Record<string, number>;
  options: SeedOptions;
}

type Db = BetterSqlite3.Database;

const PREFIX: Record<string, string> = {
  agents: 'agent', workflows: 'wf', workflow_runs: 'run', step_executions: 'step',
  execution_artifacts: 'art', secrets: 'sec', triggers: 'trg',
};

/** Keys in an order unlike insertion order; some upper case, some non-ASCII (byte order ≠ locale order). */
export function seedKey(table: string, i: number): string {
  const scrambled = (Math.imul(i + 1, 2654435761) >>> 0).toString(16).padStart(8, '0');
  const prefix = i % 7 === 3 ? PREFIX[table]!.toUpperCase() : i % 11 === 5 ? `${PREFIX[table]}é` : PREFIX[table]!;
  return `${prefix}-${scrambled}-${i}`;
}

const BASE_MS = Date.UTC(2024, 0, 1);
const sqliteTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const isoTime = (ms: number): string => new Date(ms).toISOString();

function pick(ctx: SeedContext, table: string): string {
  return seedKey(table, Math.floor(ctx.random() * ctx.counts[table]!));
}

function insert(db: Db, table: string, columns: string[]): BetterSqlite3.Statement {
  return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
}

function agents(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'agents', ['id', 'name', 'version', 'path', 'description', 'capabilities', 'inputs_schema', 'memory_mb', 'timeout_seconds', 'tags', 'created_at', 'updated_at']);
  const n = ctx.counts.agents!;
  for (let i = 0; i < n; i++) {
    const ms = BASE_MS + i * 60_000;
    const schema = JSON.stringify({ type: 'object', required: ['prompt'], properties: { prompt: { type: 'string' }, n: { type: 'integer', minimum: 0 } } });
    const memory = ctx.options.loose && i === 1 ? 'lots' : 128 * (1 + (i % 4)); // text in an INTEGER column
    stmt.run(seedKey('agents', i), `agent ${i % 50}`, `1.${Math.floor(i / 50)}.0`, `/opt/agents/${i}`, i % 3 ? `Agent\tnumber ${i}\nsecond line \\ é` : null,
      '["read","write"]', schema, memory, 300, i % 2 ? '{"team":"core","tier":1}' : null, sqliteTime(ms), isoTime(ms + 1500));
  }
  return n;
}

function workflows(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'workflows', ['id', 'name', 'version', 'path', 'trigger_type', 'trigger_config', 'steps', 'variables', 'enabled', 'tags', 'created_at', 'updated_at']);
  const n = ctx.counts.workflows!;
  for (let i = 0; i < n; i++) {
    const ms = BASE_MS + i * 90_000;
    const steps = ctx.options.loose && i === 2 ? '{"steps": [1, 2' : JSON.stringify([{ id: 's1', agent: seedKey('agents', i % ctx.counts.agents!) }, { id: 's2', when: 'always' }]);
    stmt.run(seedKey('workflows', i), `workflow ${i % 40}`, `${Math.floor(i / 40)}.0`, `/opt/workflows/${i}.yaml`, i % 2 ? 'webhook' : 'cron',
      '{"z": 1, "a": {"y": [true, false, null], "b": 2.5}}', steps, i % 5 ? '{}' : null, i % 4 === 0 ? 0 : 1, '["ops"]', sqliteTime(ms), sqliteTime(ms + 3000));
  }
  return n;
}

function workflowRuns(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'workflow_runs', ['id', 'workflow_id', 'workflow_version', 'status', 'trigger_data', 'step_results', 'started_at', 'completed_at', 'total_vm_time_ms', 'total_api_tokens', 'created_at']);
  const n = ctx.counts.workflow_runs!;
  for (let i = 0; i < n; i++) {
    const ms = BASE_MS + i * 1000;
    const workflow = ctx.options.orphans && i % 5000 === 7 ? `wf-deleted-${i}` : pick(ctx, 'workflows');
    const started = ctx.options.loose && i === 3 ? 'yesterday' : isoTime(ms + 17);
    stmt.run(seedKey('workflow_runs', i), workflow, '1.0', i % 3 ? 'completed' : 'failed', `{"source":"api","n":${i}}`,
      `{"s1":{"ok":true,"ms":${i % 997}},"s2":{"ok":${i % 3 !== 0}}}`, started, sqliteTime(ms + 5000), 4_294_967_296 + i, i * 3, sqliteTime(ms));
  }
  return n;
}

function stepExecutions(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'step_executions', ['id', 'run_id', 'step_id', 'agent_id', 'agent_name', 'status', 'vm_id', 'inputs', 'outputs', 'queued_at', 'started_at', 'duration_ms', 'retry_count']);
  const n = ctx.counts.step_executions!;
  for (let i = 0; i < n; i++) {
    const ms = BASE_MS + i * 500;
    const agent = ctx.options.orphans && i % 4000 === 11 ? 'agent-retired' : i % 9 ? pick(ctx, 'agents') : null;
    // The engine binds VM ids as JS numbers: SQLite stores 2 as '2.0' in this TEXT column.
    stmt.run(seedKey('step_executions', i), pick(ctx, 'workflow_runs'), `s${i % 4}`, agent, 'agent', 'done', i % 13,
      `{"prompt":"do \\"it\\"\\n\\ttabbed","n":${i}}`, i % 2 ? `{"result":[${i},${i + 1}],"ok":true}` : null,
      sqliteTime(ms), isoTime(ms + 250), i % 1000, i % 3);
  }
  return n;
}

function vmAssignments(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'vm_assignments', ['vm_id', 'ticket_id', 'assigned_at', 'status', 'heartbeat_at']);
  const n = ctx.counts.vm_assignments!;
  for (let i = 0; i < n; i++) {
    const ms = BASE_MS + i * 2000;
    // A number bound into TEXT columns: the key becomes '7.0' (or '7.5'), never '7'.
    stmt.run(i % 2 ? i : i + 0.5, `TICKET-${i}`, sqliteTime(ms), i % 2 ? 'running' : 'released', isoTime(ms + 10));
  }
  return n;
}

function executionArtifacts(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'execution_artifacts', ['id', 'ticket_id', 'artifact_type', 'content', 'created_at']);
  const n = ctx.counts.execution_artifacts!;
  const { largeArtifactKib, largeArtifactEvery = 200 } = ctx.options;
  const large = largeArtifactKib ? 'build log line: compiled module, 0 warnings ✓\n'.repeat(Math.ceil((largeArtifactKib * 1024) / 48)) : '';
  for (let i = 0; i < n; i++) {
    const content = large && i % largeArtifactEvery === 1 ? `${i}\n${large}` : i % 10 === 0 ? 3.14 : `log line ${i}\n\tindented \\ backslash\r\nend ✓`; // 3.14 is stored as the text '3.14'
    stmt.run(seedKey('execution_artifacts', i), `TICKET-${i % 1000}`, i % 2 ? 'log' : 'patch', content, sqliteTime(BASE_MS + i * 100));
  }
  return n;
}

function secrets(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'secrets', ['id', 'workflow_id', 'name', 'encrypted_value', 'created_at']);
  const n = ctx.counts.secrets!;
  for (let i = 0; i < n; i++) {
    const workflow = ctx.options.orphans && i === 4 ? 'wf-gone' : seedKey('workflows', i % ctx.counts.workflows!);
    const value = Buffer.from([i & 255, (i >> 8) & 255, 0, 9, 10, 92, 255, 13]);
    stmt.run(seedKey('secrets', i), workflow, `SECRET_${i}`, value, sqliteTime(BASE_MS + i * 1000));
  }
  return n;
}

function triggers(db: Db, ctx: SeedContext): number {
  const stmt = insert(db, 'triggers', ['id', 'workflow_id', 'type', 'webhook_path', 'webhook_secret', 'next_run_at', 'enabled', 'created_at']);
  const n = ctx.counts.triggers!;
  for (let i = 0; i < n; i++) {
    const ms = BASE_MS + i * 1000;
    const nextRun = i % 10 === 0 ? sqliteTime(ms) : isoTime(ms); // mostly ISO, some SQLite: a mixed column
    const enabled = ctx.options.loose && i === 5 ? 2 : i % 2;
    stmt.run(seedKey('triggers', i), pick(ctx, 'workflows'), 'webhook', `/hooks/${i}`, `whsec_${i}_topsecret`, nextRun, enabled, sqliteTime(ms));
  }
  return n;
}

export const SEED_ROWS: Record<string, (db: Db, ctx: SeedContext) => number> = {
  agents, workflows, workflow_runs: workflowRuns, step_executions: stepExecutions, vm_assignments: vmAssignments,
  execution_artifacts: executionArtifacts, secrets, triggers,
};
