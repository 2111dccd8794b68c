// The PM2 ecosystem file: PM2 restarts with --update-env keep the variables of the previous step
// and lay the new --env over them, so every step, reached forward or by rolling back from any
// other, must leave the configuration that step means, valid for the adapter.
import test from 'ava';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { planOpen } = require('../dist/adapter/index.js');
const ecosystem = require('../examples/ecosystem.config.js');
const app = ecosystem.apps[0];

const STEPS = ['default', 'canary', 'flipped', 'postgres', 'retired'];
const MEANT = {
  default: { backend: 'sqlite', primary: 'sqlite', sqliteRetired: false },
  canary: { backend: 'shadow', primary: 'sqlite', sqliteRetired: false },
  flipped: { backend: 'shadow', primary: 'postgres', sqliteRetired: false },
  postgres: { backend: 'postgres', sqliteRetired: false },
  retired: { backend: 'postgres', sqliteRetired: true },
};
// What the engine's host provides, outside the file.
const HOST = { DATABASE_URL: 'postgresql://swarm_engine:pw@db.internal:5432/swarm', PATH: '/usr/bin' };

/** `pm2 restart ecosystem.config.js --env <step> --update-env`: the running env, then env, then env_<step>. */
function restart(running, step) {
  return { ...running, ...app.env, ...(step === 'default' ? {} : app[`env_${step}`]) };
}

function configOf(env) {
  const plan = planOpen(env.REGISTRY_DB, {}, env);
  return { backend: plan.backend, primary: plan.primary, sqliteRetired: plan.sqliteRetired };
}

test('every step is defined and names all three runbook variables', (t) => {
  for (const step of STEPS.slice(1)) t.truthy(app[`env_${step}`], step);
  for (const step of STEPS) {
    const env = step === 'default' ? app.env : app[`env_${step}`];
    for (const name of ['REGISTRY_BACKEND', 'REGISTRY_PRIMARY', 'REGISTRY_SQLITE_RETIRED']) t.true(name in env, `${step} sets ${name}`);
    t.false('DATABASE_URL' in env && !process.env.DATABASE_URL, 'no URL literal in the file');
  }
  t.is(path.basename(app.env.REGISTRY_DB), 'registry.db');
});

test('forward through the runbook and back from every step, each restart gives the step\'s configuration', (t) => {
  let running = restart(HOST, 'default');
  t.like(configOf(running), MEANT.default);
  for (let i = 1; i < STEPS.length; i++) {
    running = restart(running, STEPS[i]);
    t.like(configOf(running), MEANT[STEPS[i]], `forward to ${STEPS[i]}`);
    // A rollback from here to every earlier step, from the environment this step left.
    for (let j = i - 1; j >= 0; j--) {
      let back = running;
      for (let k = i - 1; k >= j; k--) back = restart(back, STEPS[k]);
      t.like(configOf(back), MEANT[STEPS[j]], `${STEPS[i]} back to ${STEPS[j]}`);
      t.like(configOf(restart(running, STEPS[j])), MEANT[STEPS[j]], `${STEPS[i]} straight to ${STEPS[j]}`);
    }
  }
});

test('every pair of steps in either order leaves a valid configuration', (t) => {
  for (const from of STEPS) {
    for (const to of STEPS) {
      const env = restart(restart(restart(HOST, 'default'), from), to);
      t.notThrows(() => configOf(env), `${from} → ${to}`);
      t.like(configOf(env), MEANT[to], `${from} → ${to}`);
    }
  }
});
