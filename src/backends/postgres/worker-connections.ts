/**
 * The worker's PostgreSQL connections: a pg.Pool whose clients are set up once (the caller's
 * `statementSetup`, `statement_timeout`, `application_name`) and carry the state batches need.
 *
 * The caller is synchronous, so almost every request needs exactly one connection, one after the
 * other: the last released connection is kept aside (`spare`) and handed straight back, which
 * skips the pool's checkout on the hot path.
 */
import pg from 'pg';
import { WireQuery, type WireBatch, type WireConnectionState } from './worker-wire-query';
import type { WorkerConfig } from './protocol';
import { metricsRecorder, secondsSince } from '../../metrics/record';
import { busyTimeout } from './worker-busy-timeout';

export interface PgConnection extends WireConnectionState {
  readonly client: pg.PoolClient;
  /** The socket failed or closed: never reuse this connection. */
  broken: boolean;
}

/** pg's Client internals a connection needs for cancelling and for dropping a dead socket. */
interface ClientInternals {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
  connection: NodeJS.EventEmitter & { stream: { destroy(): void } };
}

export class ConnectionPool {
  private readonly pool: pg.Pool;
  private readonly connections = new WeakMap<pg.PoolClient, PgConnection>();
  private spare: PgConnection | null = null;
  private readonly setupSql: string;

  /** `pool`: which pool this is, for the pool-wait metrics (backend, async, mirror). */
  constructor(config: WorkerConfig, private readonly name = 'backend') {
    this.pool = new pg.Pool({
      connectionString: config.connectionString,
      max: config.poolSize,
      connectionTimeoutMillis: config.timeoutMs,
      idleTimeoutMillis: 30_000,
      // The server stops a statement on its own after the caller's timeout, even when this
      // process can no longer cancel it (it died, or its network did).
      statement_timeout: config.timeoutMs,
      application_name: config.applicationName,
      keepAlive: true,
    });
    // An idle connection that fails is dropped by the pool; without a listener it would kill the worker.
    this.pool.on('error', () => {});
    const setup = [...config.statementSetup];
    // SQLite's busy timeout: how long a writer waits for the write lock (any lock) before SQLITE_BUSY.
    if (config.writeLock) setup.push(`SET lock_timeout = ${busyTimeout(config)}`);
    this.setupSql = setup.map((s) => s.trim().replace(/;+$/, '')).filter(Boolean).join(';\n');
  }

  async acquire(): Promise<PgConnection> {
    const spare = this.spare;
    if (spare) {
      this.spare = null;
      if (!spare.broken) return spare;
      spare.client.release(true);
    }
    // Every connection is out (or the pool is already queueing): this checkout waits.
    const waits = this.pool.waitingCount > 0 || (this.pool.idleCount === 0 && this.pool.totalCount >= (this.pool.options.max ?? 10));
    const started = waits ? performance.now() : 0;
    const client = await this.pool.connect();
    if (waits) metricsRecorder().poolWait(this.name, secondsSince(started));
    const known = this.connections.get(client);
    if (known) return known;
    const conn = this.adopt(client);
    if (this.setupSql !== '') {
      try {
        await run(conn, { simple: this.setupSql });
      } catch (err) {
        this.release(conn, true);
        throw err;
      }
    }
    return conn;
  }

  /** Gives a connection back; `destroy` (or a broken socket) closes it instead. */
  release(conn: PgConnection, destroy = false): void {
    if (destroy || conn.broken) {
      conn.broken = true;
      conn.client.release(true);
      return;
    }
    // Kept aside only when nobody waits for the pool: a waiting checkout would never see it.
    if (this.spare === null && this.pool.waitingCount === 0) this.spare = conn;
    else conn.client.release();
  }

  async end(): Promise<void> {
    if (this.spare) this.spare.client.release();
    this.spare = null;
    await this.pool.end();
  }

  private adopt(client: pg.PoolClient): PgConnection {
    const conn: PgConnection = { client, broken: false, parsed: new Map(), active: null };
    this.connections.set(client, conn);
    const markBroken = () => {
      conn.broken = true;
    };
    client.on('error', markBroken);
    client.on('end', markBroken);
    // Messages pg's Client does not forward to the active query (see WireQuery).
    const wire = internals(client).connection;
    wire.on('parseComplete', () => conn.active?.onParseComplete());
    wire.on('parameterDescription', (msg: { dataTypeIDs: number[] }) => conn.active?.onParameterDescription(msg));
    wire.on('noData', () => conn.active?.onNoData());
    return conn;
  }
}

/** Runs one batch on a connection; resolves with the batch's results. */
export function run(conn: PgConnection, batch: WireBatch): Promise<WireQuery> {
  return new Promise((resolve, reject) => {
    conn.client.query(new WireQuery(batch, conn, (err, query) => (err ? reject(err) : resolve(query))));
  });
}

export function internals(client: pg.PoolClient): ClientInternals {
  return client as unknown as ClientInternals;
}

/** Closes the socket under a connection whose server stopped answering; its queries then fail. */
export function dropConnection(conn: PgConnection): void {
  conn.broken = true;
  internals(conn.client).connection.stream.destroy();
}
