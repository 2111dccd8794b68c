// Starts a real PgBouncer (Debian's `pgbouncer` package) in front of the test PostgreSQL, as a
// child process on a free loopback port, for the tests that run the adapter behind a pooler.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './embedded-server.mjs';

const CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];

/** The pgbouncer binary, or null when it is not installed. */
export function pgbouncerBinary() {
  for (const file of CANDIDATES) if (fs.existsSync(file)) return file;
  const found = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

/** Why the pooler tests cannot run here, or null when they can. */
export function pgbouncerMissing() {
  return pgbouncerBinary() ? null : 'pgbouncer is not installed (apt-get install -y pgbouncer; .ci/run installs it)';
}

function waitForPort(port, child, deadline) {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`pgbouncer exited with code ${child.exitCode}`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`pgbouncer did not listen on port ${port} in time`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts PgBouncer in `poolMode` in front of the server of `serverUrl` (any database name is passed
 * through). Returns `{ port, urlFor(directUrl), log(), stop() }`; `urlFor` turns a URL of the
 * server into the same URL through the pooler.
 */
export async function startPgBouncer(serverUrl, { poolMode = 'transaction', poolSize = 8 } = {}) {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error(pgbouncerMissing());
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-pgbouncer-'));
  // As root, pgbouncer must drop to another user (-u), who must read the folder and write the log.
  const asRoot = process.getuid?.() === 0;
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const quote = (s) => `"${s.replace(/"/g, '""')}"`;
  fs.writeFileSync(path.join(dir, 'userlist.txt'), `${quote(user)} ${quote(password)}\n`, { mode: 0o644 });
  const ini = [
    '[databases]',
    `* = host=${server.hostname} port=${server.port || 5432}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    "unix_socket_dir =",
    'auth_type = plain',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    `pool_mode = ${poolMode}`,
    `default_pool_size = ${poolSize}`,
    'max_client_conn = 1000',
    `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    'log_connections = 0',
    'log_disconnections = 0',
  ].join('\n');
  const iniFile = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(iniFile, `${ini}\n`, { mode: 0o644 });
  const args = asRoot ? ['-u', 'postgres', iniFile] : [iniFile];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const log = () => {
    let text = stderr;
    try {
      text += fs.readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8');
    } catch {
      // no log yet
    }
    return text;
  };
  try {
    await waitForPort(port, child, Date.now() + 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${log()}`);
  }
  return {
    port,
    urlFor(directUrl) {
      const url = new URL(directUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
