/** The registry's 8 tables as the engine creates them in SQLite (the migration plan's DDL, verbatim). */
export const REGISTRY_SQLITE_DDL = `-- agents: Registered agent definitions
CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    path TEXT NOT NULL,
    description TEXT,
    capabilities JSON,
    inputs_schema JSON,
    outputs_schema JSON,
    runtime TEXT DEFAULT 'node',
    memory_mb INTEGER DEFAULT 128,
    timeout_seconds INTEGER DEFAULT 300,
    triggers JSON,
    author TEXT,
    tags JSON,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(name, version)
);

-- workflows: Workflow definitions
CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    path TEXT NOT NULL,
    description TEXT,
    trigger_type TEXT,
    trigger_config JSON,
    steps JSON NOT NULL,
    variables JSON,
    on_error JSON,
    on_success JSON,
    enabled BOOLEAN DEFAULT 1,
    author TEXT,
    tags JSON,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(name, version)
);

-- workflow_runs: Execution history
CREATE TABLE workflow_runs (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id),
    workflow_version TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    current_step TEXT,
    trigger_type TEXT,
    trigger_data JSON,
    step_results JSON DEFAULT '{}',
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    error TEXT,
    error_step TEXT,
    total_vm_time_ms INTEGER DEFAULT 0,
    total_api_tokens INTEGER DEFAULT 0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- step_executions: Individual step tracking
CREATE TABLE step_executions (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES workflow_runs(id),
    step_id TEXT NOT NULL,
    agent_id TEXT REFERENCES agents(id),
    agent_name TEXT,
    agent_version TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    vm_id TEXT,
    inputs JSON,
    outputs JSON,
    queued_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    duration_ms INTEGER,
    api_tokens_used INTEGER DEFAULT 0,
    error TEXT,
    retry_count INTEGER DEFAULT 0
);

-- vm_assignments: VM-to-ticket mapping
CREATE TABLE vm_assignments (
    vm_id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    status TEXT DEFAULT 'running',
    heartbeat_at TEXT
);

-- execution_artifacts: Output artifacts
CREATE TABLE execution_artifacts (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    artifact_type TEXT,
    content TEXT,
    created_at TEXT
);

-- secrets: Encrypted workflow secrets
CREATE TABLE secrets (
    id TEXT PRIMARY KEY,
    workflow_id TEXT REFERENCES workflows(id),
    name TEXT NOT NULL,
    encrypted_value BLOB,
    scope TEXT DEFAULT 'workflow',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(workflow_id, name)
);

-- triggers: Workflow triggers (webhook, cron, event)
CREATE TABLE triggers (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id),
    type TEXT NOT NULL,
    webhook_path TEXT UNIQUE,
    webhook_secret TEXT,
    cron_expression TEXT,
    next_run_at TIMESTAMP,
    event_source TEXT,
    event_type TEXT,
    enabled BOOLEAN DEFAULT 1,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
`;
