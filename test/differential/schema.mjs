// The tables the differential cases run over: the registry's 8 tables in the engine's own DDL, and
// scratch tables with every column affinity and none. Each table has a small fixed dataset that the
// runner writes back after every case that changed the table.
import { createRequire } from 'node:module';
import { UNFIXED } from './switches.mjs';

const require = createRequire(import.meta.url);
const { REGISTRY_SQLITE_DDL } = require('../../dist/schema/index.js');

/** JSON as stored: compact, or as jsonb prints it while that difference is open. */
const json = (compact, spaced) => (UNFIXED.jsonTextNormalized ? spaced : compact);
/** A 64-bit value, or a smaller one while integer overflow differs. */
const big = (value, small) => (UNFIXED.integerOverflow ? small : value);
const T0 = '2026-01-02 03:04:05';

// The dataset must hold the same values on both sides, so every stored value fits the PostgreSQL
// column type of its column (an untyped column is text there). Mixed storage classes come from
// expressions and parameters instead.
export const SCRATCH_DDL = `
CREATE TABLE mix (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, u);
CREATE TABLE mix2 (id INTEGER PRIMARY KEY, k TEXT UNIQUE, i INTEGER, t TEXT);
CREATE VIEW v_mix AS SELECT id, i, t FROM mix WHERE i IS NOT NULL;
`;

/**
 * Columns by table, each with its kind: int, real, text, blob, num (NUMERIC), any (no declared
 * type), json, ts (TIMESTAMP), bool. `key` marks the primary key; `notNull` a NOT NULL column;
 * `unique` its other UNIQUE keys; `nowDefault` a column whose default is the time of the insert (always written by generated inserts:
 * the two sides run milliseconds apart and may see two different seconds).
 */
export const TABLES = {
  mix: {
    key: 'id',
    columns: { id: 'int', i: 'int', r: 'real', t: 'text', b: 'blob', n: 'num', u: 'any' },
    rows: [
      [1, 1, 1.5, 'a', Buffer.from([0]), 1, 'x'],
      [2, -3, 0.25, 'B', Buffer.from([0xff, 0x10]), 2.5, '10'],
      [3, null, null, null, null, null, null],
      [4, big(4611686018427387904n, 50000n), big(1e300, 1e15), 'a b', Buffer.alloc(0), 0, ''],
      [5, 1, -2, 'a', Buffer.from('A'), -7, 'a'],
      [6, 2, 0.1, '_z', Buffer.from([1, 2]), 1, '%'],
    ],
  },
  mix2: {
    key: 'id',
    unique: [['k']],
    columns: { id: 'int', k: 'text', i: 'int', t: 'text' },
    rows: [
      [1, 'k1', 1, 'a'],
      [2, 'k2', 2, 'b'],
      [3, 'k3', null, 'B'],
      [4, 'k4', 1, null],
    ],
  },
  agents: {
    key: 'id',
    columns: {
      id: 'text', name: 'text', version: 'text', path: 'text', description: 'text', capabilities: 'json', memory_mb: 'int',
      timeout_seconds: 'int', tags: 'json', runtime: 'text', created_at: 'ts', updated_at: 'ts',
    },
    notNull: ['name', 'version', 'path'],
    unique: [['name', 'version']],
    nowDefault: ['created_at', 'updated_at'],
    rows: [
      ['ag-1', 'coder', '1.0.0', '/a/coder', 'writes code', '["code"]', 512, 300, json('["ci","fast"]', '["ci", "fast"]'), 'node', T0, T0],
      ['ag-2', 'coder', '1.1.0', '/a/coder2', null, null, 1024, 60, null, 'node', T0, T0],
      ['ag-3', 'Reviewer', '0.1.0', '/a/rev', '', json('{"k":1}', '{"k": 1}'), 128, 300, '[]', 'python', '2026-02-01 00:00:00', T0],
    ],
  },
  workflows: {
    key: 'id',
    columns: { id: 'text', name: 'text', version: 'text', path: 'text', steps: 'json', enabled: 'bool', tags: 'json', created_at: 'ts', updated_at: 'ts' },
    notNull: ['name', 'version', 'path', 'steps'],
    nowDefault: ['created_at', 'updated_at'],
    rows: [
      ['wf-1', 'build', '1.0.0', '/w/build', json('[{"id":"s1"}]', '[{"id": "s1"}]'), 1, '["ci"]', T0, T0],
      ['wf-2', 'Deploy', '1.0.0', '/w/deploy', '[]', 0, null, '2026-01-03 00:00:00', T0],
    ],
  },
  workflow_runs: {
    key: 'id',
    columns: { id: 'text', workflow_id: 'text', status: 'text', total_vm_time_ms: 'int', total_api_tokens: 'int', started_at: 'ts', error: 'text', created_at: 'ts' },
    notNull: ['workflow_id', 'status'],
    nowDefault: ['created_at'],
    rows: [
      ['run-1', 'wf-1', 'completed', 1200, 10, T0, null, T0],
      ['run-2', 'wf-1', 'failed', big(5000000000, 50000), 0, null, 'boom', T0],
      ['run-3', 'wf-2', 'completed', 0, 7, '2026-01-03 00:00:00', null, T0],
      ['run-4', 'wf-2', 'pending', 1200, 0, null, null, T0],
    ],
  },
  step_executions: {
    key: 'id',
    columns: { id: 'text', run_id: 'text', step_id: 'text', status: 'text', duration_ms: 'int', api_tokens_used: 'int', retry_count: 'int', queued_at: 'ts' },
    notNull: ['run_id', 'step_id', 'status'],
    nowDefault: ['queued_at'],
    rows: [
      ['se-1', 'run-1', 's1', 'completed', 100, 50, 0, T0],
      ['se-2', 'run-1', 's2', 'failed', null, 150, 2, T0],
      ['se-3', 'run-2', 's1', 'completed', 100, 0, 1, T0],
    ],
  },
};

/** Tables a generated statement may read (views included) and write (views excluded). */
export const READ_TABLES = ['mix', 'mix2', 'agents', 'workflows', 'workflow_runs', 'step_executions'];
export const WRITE_TABLES = ['mix', 'mix2', 'agents', 'workflow_runs', 'step_executions'];
export const VIEWS = { v_mix: { columns: { id: 'int', i: 'int', t: 'text' } } };

export function columnsOf(table) {
  return (TABLES[table] ?? VIEWS[table]).columns;
}

/** The whole schema, in SQLite's DDL, run by exec() on both sides. */
export function fullDdl() {
  // The registry's foreign keys stay declared; SQLite does not enforce them unless asked, and the
  // datasets keep them satisfied.
  return `${REGISTRY_SQLITE_DDL}\n${SCRATCH_DDL}`;
}

/** Tables whose rows reference `table` (foreign keys), children after parents. */
const CHILDREN = { workflows: ['workflow_runs'], workflow_runs: ['step_executions'] };

/** `table` and every table that references it, parents first: a reset deletes in reverse, inserts in order. */
export function resetFamily(table) {
  return [table, ...(CHILDREN[table] ?? []).flatMap(resetFamily)];
}

/** The statements that put `table` back to its dataset: a DELETE, then one INSERT with parameters. */
export function resetStatements(table) {
  const { columns, rows } = TABLES[table];
  const names = Object.keys(columns);
  const tuple = `(${names.map(() => '?').join(', ')})`;
  return {
    clear: `DELETE FROM ${table}`,
    insert: `INSERT INTO ${table} (${names.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
    params: rows.flat(),
  };
}
