// A slice of the engine's registry, in the engine's own SQLite DDL: the conformance suite creates it
// with db.exec() on every backend, exactly as the engine's init script does.
export const DDL = `
CREATE TABLE IF NOT EXISTS workflows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    path TEXT NOT NULL,
    steps JSON NOT NULL,
    enabled BOOLEAN DEFAULT 1,
    tags JSON,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(name, version)
);
CREATE TABLE IF NOT EXISTS workflow_runs (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id),
    status TEXT NOT NULL DEFAULT 'pending',
    total_vm_time_ms INTEGER DEFAULT 0,
    started_at TIMESTAMP,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS vm_assignments (
    vm_id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    status TEXT DEFAULT 'running',
    heartbeat_at TEXT
);
CREATE TABLE IF NOT EXISTS secrets (
    id TEXT PRIMARY KEY,
    workflow_id TEXT REFERENCES workflows(id),
    name TEXT NOT NULL,
    encrypted_value BLOB,
    UNIQUE(workflow_id, name)
);
CREATE TABLE IF NOT EXISTS checked (
    id TEXT PRIMARY KEY,
    score INTEGER CHECK (score >= 0)
);
`;

export function seed(db) {
  db.exec(DDL);
  const wf = db.prepare('INSERT INTO workflows (id, name, version, path, steps, enabled, tags) VALUES (?, ?, ?, ?, ?, ?, ?)');
  wf.run('wf-1', 'build', '1.0.0', '/w/build', '[{"id":"s1"}]', 1, '["ci"]');
  wf.run('wf-2', 'Deploy', '1.0.0', '/w/deploy', '[{"id":"s1"},{"id":"s2"}]', 0, null);
  wf.run('wf-3', 'audit', '2.1.0', '/w/audit', '[]', 1, '["nightly","ci"]');
  const run = db.prepare('INSERT INTO workflow_runs (id, workflow_id, status, total_vm_time_ms, started_at) VALUES (@id, @wf, @status, @ms, @started)');
  run.run({ id: 'run-1', wf: 'wf-1', status: 'completed', ms: 1200, started: '2026-01-02 03:04:05' });
  run.run({ id: 'run-2', wf: 'wf-1', status: 'failed', ms: 5_000_000_000, started: null });
  run.run({ id: 'run-3', wf: 'wf-3', status: 'completed', ms: 0, started: '2026-01-03 00:00:00' });
}
