// No password in any output, in every connection-string form `pg` accepts: URLs (the password
// percent-encoded, or holding an unencoded `#`, `/`, `?`, `@`), `postgresql://` and `postgres://`,
// `socket:`, `?password=` in the query, the key=value form (quoted values too), and PGPASSWORD.
// Searched: the API's errors (message, stack, cause), the start-up log line of a process that does
// connect, and every CLI command's stdout and stderr with an unreachable server in each form.
import test from 'ava';
import crypto from 'node:crypto';
import path from 'node:path';
import { execFile } from 'node:child_process';
import pg from 'pg';
import Database from 'swarm-registry-adapter';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase } from './helpers/pg.mjs';
import { cli } from './60.migrate-helpers.mjs';

const RUN = crypto.randomBytes(4).toString('hex');
/** The marker every password holds; URL-unsafe characters around it in the forms that allow them. */
const MARK = `PwMARK${RUN}`;
const UNREACHABLE = '127.0.0.1:1';

/** Each form with its password, pointing at a port nothing listens on (or a socket that does not exist). */
function forms(hostPort = UNREACHABLE, database = 'reg', user = 'app') {
  const [host, port] = hostPort.split(':');
  return {
    'URL': { url: `postgresql://${user}:${MARK}@${hostPort}/${database}` },
    'URL postgres://': { url: `postgres://${user}:${MARK}@${hostPort}/${database}` },
    'URL, password percent-encoded': { url: `postgresql://${user}:${encodeURIComponent(`${MARK}#/?@ x`)}@${hostPort}/${database}` },
    'URL, unencoded #': { url: `postgresql://${user}:${MARK}#x@${hostPort}/${database}` },
    'URL, unencoded /': { url: `postgresql://${user}:${MARK}/x@${hostPort}/${database}` },
    'URL, unencoded ?': { url: `postgresql://${user}:${MARK}?x@${hostPort}/${database}` },
    'URL, unencoded @': { url: `postgresql://${user}:${MARK}@x@${hostPort}/${database}` },
    'URL, ?password=': { url: `postgresql://${user}@${hostPort}/${database}?password=${MARK}&sslmode=disable` },
    'socket:': { url: `socket://${user}:${MARK}@/nonexistent/socket/dir?db=${database}` },
    'key=value': { url: `host=${host} port=${port} user=${user} password=${MARK} dbname=${database}` },
    "key=value, password='a b'": { url: `host=${host} port=${port} user=${user} password='${MARK} with spaces' dbname=${database}` },
    'PGPASSWORD': { url: `postgresql://${user}@${hostPort}/${database}`, env: { PGPASSWORD: MARK } },
  };
}

function everything(error) {
  const parts = [];
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    parts.push(String(e.message), String(e.stack));
    for (const key of Object.getOwnPropertyNames(e)) if (typeof e[key] === 'string') parts.push(`${key}=${e[key]}`);
  }
  return parts.join('\n');
}

const count = (text) => (text.match(new RegExp(MARK, 'g')) ?? []).length;

function node(script, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { env: { ...process.env, REGISTRY_LOG_LEVEL: 'info', ...env }, timeout: 30000 }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, out: `${stdout}${stderr}` }));
  });
}

test('the API: errors of every form, and the start-up line of a process that connects, hold no password', async (t) => {
  const dir = tempDir(t);
  const counts = {};
  for (const [name, form] of Object.entries(forms())) {
    const saved = process.env.PGPASSWORD;
    if (form.env?.PGPASSWORD) process.env.PGPASSWORD = form.env.PGPASSWORD;
    try {
      const error = t.throws(() => new Database(path.join(dir, 'r.db'), { backend: 'postgres', databaseUrl: form.url, pgTimeoutMs: 3000 }), { any: true }, name);
      counts[name] = count(everything(error));
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  }

  // A role whose password holds the marker, so that a connection succeeds and logs its start-up line.
  const { url, name: database } = await createTestDatabase(t);
  const role = `pw_${RUN}`;
  const password = `${MARK}#/?@ x`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(() => admin.end());
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await admin.query(`GRANT ALL ON DATABASE ${database} TO ${role}`);
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await c.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await c.end();
  });
  const hostPort = new URL(url).host;
  const connecting = {
    'URL': `postgresql://${role}:${encodeURIComponent(password)}@${hostPort}/${database}`,
    'URL, ?password=': `postgresql://${role}@${hostPort}/${database}?password=${encodeURIComponent(password)}`,
    'PGPASSWORD': `postgresql://${role}@${hostPort}/${database}`,
  };
  const script = `
    const Database = require(${JSON.stringify(path.resolve('dist/index.js'))});
    const db = new Database(${JSON.stringify(path.join(dir, 'c.db'))}, { backend: 'postgres', databaseUrl: process.env.U, pgSchema: 'pw_check' });
    db.exec('CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY)');
    console.log('rows', db.prepare('SELECT COUNT(*) AS n FROM t').get().n);
    db.close();`;
  for (const [name, u] of Object.entries(connecting)) {
    const result = await node(script, { U: u, ...(name === 'PGPASSWORD' ? { PGPASSWORD: password } : {}) });
    t.regex(result.out, /rows 0/, `${name}: the process connected (${result.out})`);
    t.regex(result.out, /Database initialized \(PostgreSQL\)/, `${name}: the start-up line is there`);
    counts[`start-up line, ${name}`] = count(result.out);
  }
  t.log(`password marker occurrences (API): ${JSON.stringify(counts)}`);
  for (const [name, n] of Object.entries(counts)) t.is(n, 0, name);
});

test('the CLI: every command, with an unreachable server in each form', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  new Database(file).close();
  // Human and --json output are alternated across the commands to keep the run short.
  const commands = [['init', '--json'], ['status'], ['verify'], ['backfill', '--json']];
  const counts = {};
  const runs = [];
  for (const [name, form] of Object.entries(forms())) {
    for (const args of commands) {
      runs.push(async () => {
        const result = await cli(args, { REGISTRY_DB: file, DATABASE_URL: form.url, REGISTRY_PG_TIMEOUT_MS: '3000', ...form.env });
        const key = `${args.join(' ')} [${name}]`;
        counts[key] = count(`${result.stdout}${result.stderr}`);
        t.not(result.code, 0, `${key} fails: ${result.stderr}`);
        t.true(result.stderr.length > 0 || result.stdout.length > 0, `${key} says why`);
      });
    }
  }
  // Three at a time: the machine is shared.
  for (let i = 0; i < runs.length; i += 3) await Promise.all(runs.slice(i, i + 3).map((run) => run()));
  const leaking = Object.entries(counts).filter(([, n]) => n > 0);
  t.log(`password marker occurrences (CLI): ${Object.keys(counts).length} runs, ${leaking.length} with a marker${leaking.length ? `: ${JSON.stringify(leaking)}` : ''}`);
  t.deepEqual(leaking, []);
});
