// PM2 ecosystem file for the swarm engine with its registry behind swarm-registry-adapter.
// Move from one runbook step to the next (docs/runbook.md) with
//   pm2 restart examples/ecosystem.config.js --env canary --update-env
// (then --env flipped, --env postgres, --env retired; the previous --env is the rollback).
//
// Never write a real password here: this file lives in version control. Put DATABASE_URL in the
// environment PM2 starts from (a root-only EnvironmentFile, your secret store), and PM2 passes it on.
// Its shape: postgresql://swarm_engine:<password>@db.internal:5432/swarm?sslmode=require
// (unset, the adapter refuses to start in shadow or postgres mode and says so).
'use strict';

const shared = {
  REGISTRY_DB: '/opt/swarm-registry/registry.db',
  REGISTRY_PG_SCHEMA: 'engine_registry',
  // Passed on from the environment PM2 runs in; never a literal here.
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
};

// PM2 keeps the variables of the previous --env when it restarts with --update-env, so every step
// names all three runbook variables: no step inherits a value from the one before (an
// REGISTRY_SQLITE_RETIRED=1 left over from `retired` would stop the engine after a rollback).
// '' means unset, '0' off.
const step = (backend, primary, retired) => ({
  ...shared,
  REGISTRY_BACKEND: backend,
  REGISTRY_PRIMARY: primary,
  REGISTRY_SQLITE_RETIRED: retired ? '1' : '0',
});

module.exports = {
  apps: [
    {
      name: 'swarm-engine',
      script: 'dist/index.js',
      cwd: '/opt/swarm-engine',
      instances: 1,
      // Before the migration: the engine on SQLite, exactly as with better-sqlite3 (rollback of canary).
      env: step('sqlite', 'sqlite', false),
      // Runbook steps 1–3: both databases get every write, SQLite answers, answers are compared.
      env_canary: step('shadow', 'sqlite', false),
      // Runbook step 4: PostgreSQL answers, SQLite still gets every write (rollback: --env canary).
      env_flipped: step('shadow', 'postgres', false),
      // Runbook step 5: PostgreSQL only (rollback: swarm-registry verify --repair --from postgres, then --env flipped).
      env_postgres: step('postgres', 'postgres', false),
      // After `swarm-registry status` says so: SQLite is gone for the registry (rollback: restore the
      // .db file from its backup, then --env postgres).
      env_retired: step('postgres', 'postgres', true),
    },
  ],
};
