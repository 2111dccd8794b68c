/**
 * The worker's PostgreSQL connections: a pg.Pool whose clients are set up once (the caller's
 * `statementSetup`, `statement_timeout`, `application_name`) and carry the state batches need.
 *
 * `statement_timeout` is SET after connecting rather than sent as a start-up parameter, which
 * PgBouncer refuses (`unsupported startup parameter`). Behind a transaction-mode pooler
 * (`pooler: 'transaction'`) a connection is a different server session from one transaction to
 * the next, so nothing is set per connection: the same settings are applied with `set_config(...,
 * true)` (SET LOCAL) at the start of every transaction and ahead of every statement outside one, in
 * the same round trip (`ownTransaction`), and statements are never named
 * (a named statement is parsed in one server session and executed in another).
 *
 * The caller is synchronous, so almost every request needs exactly one connection, one after the
 * other: the last released connection is kept aside (`spare`) and handed straight back, which
 * skips the pool's checkout on the hot path.
 */
import pg from 'pg';
import { WireQuery, type WireBatch, type WireConnectionState, type WireStep } from './wire-query';
import type { WorkerConfig } from './protocol';
import { metricsRecorder, secondsSince } from '../../../metrics/record';
import { busyTimeout } from './busy-timeout';
import { isConnectionLost } from './errors';

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
  /** Behind a transaction-mode pooler: no state may outlive a transaction. */
  readonly perTransaction: boolean;
  /** One statement applying the setup to the current transaction only (set_config(..., true)). */
  readonly transactionSetup: string;
  /**
   * The same set-up as SET LOCAL statements, for right after BEGIN: unlike a SELECT of set_config(),
   * they take no snapshot, so a deferred (REPEATABLE READ) transaction still takes its snapshot at
   * its first statement, as SQLite's does.
   */
  readonly transactionBegin: readonly string[];

  /** `pool`: which pool this is, for the pool-wait metrics (backend, async, mirror). */
  constructor(config: WorkerConfig, private readonly name = 'backend') {
    this.pool = new pg.Pool({
      connectionString: config.connectionString,
      max: config.poolSize,
      connectionTimeoutMillis: config.timeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: config.applicationName,
      keepAlive: true,
    });
    // An idle connection that fails is dropped by the pool; without a listener it would kill the worker.
    this.pool.on('error', () => {});
    // The server stops a statement on its own after the caller's timeout, even when this
    // process can no longer cancel it (it died, or its network did).
    const setup = [...config.statementSetup, `SET statement_timeout TO ${Math.floor(config.timeoutMs)}`];
    // SQLite's busy timeout: how long a writer waits for the write lock (any lock) before SQLITE_BUSY.
    if (config.writeLock) setup.push(`SET lock_timeout = ${busyTimeout(config)}`);
    this.perTransaction = config.pooler === 'transaction';
    this.transactionSetup = this.perTransaction ? localSetup(setup) : '';
    this.transactionBegin = this.perTransaction ? setLocalStatements(setup) : [];
    this.setupSql = this.perTransaction ? '' : setup.map((s) => s.trim().replace(/;+$/, '')).filter(Boolean).join(';\n');
  }

  /**
   * `sql` (which starts a transaction with BEGIN, possibly with more statements after a `;`) with
   * the per-transaction setup right after the BEGIN statement when behind a transaction pooler;
   * unchanged otherwise.
   */
  beginText(sql: string): string {
    if (!this.perTransaction) return sql;
    if (!/^BEGIN\b/i.test(sql)) throw new Error(`beginText: ${JSON.stringify(sql)} does not start with BEGIN`);
    const end = sql.indexOf(';');
    const setup = this.transactionBegin.join('; ');
    return end < 0 ? `${sql}; ${setup}` : `${sql.slice(0, end)}; ${setup}${sql.slice(end)}`;
  }

  /** The steps that start a transaction (BEGIN, and the per-transaction setup when behind a pooler). */
  beginSteps(): WireStep[] {
    return [{ text: 'BEGIN' }, ...this.transactionBegin.map((text) => ({ text }))];
  }

  /**
   * A batch run outside a transaction, behind a transaction pooler: the setup goes first, in the same
   * round trip. The messages up to one Sync (or the statements of one simple query) are one
   * implicit transaction, so `set_config(..., true)` holds for the batch and ends with it, and a
   * failure leaves nothing to roll back. The batch's own results are `results.slice(OWN_HEAD)`.
   */
  ownTransaction(batch: WireBatch): WireBatch {
    // `;` and a newline end the setup statement before the text begins.
    if ('simple' in batch) return { simple: `${this.transactionSetup};\n${batch.simple}` };
    return { steps: [{ text: this.transactionSetup }, ...batch.steps] };
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
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } finally {
      // A wait that ended in a timeout counts too: it is the one an operator most needs to see.
      if (waits) metricsRecorder().poolWait(this.name, secondsSince(started));
    }
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
    const conn: PgConnection = { client, broken: false, parsed: new Map(), active: null, unnamed: this.perTransaction };
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

/** Results of `ownTransaction(batch)` before the batch's own: the setup. */
export const OWN_HEAD = 1;

const SET_STATEMENT = /^SET\s+(?:SESSION\s+)?(TIME\s+ZONE|[A-Za-z_][A-Za-z0-9_.]*)(?:\s+TO\s+|\s*=\s*|\s+(?=.))(.+?)\s*;?\s*$/is;

/**
 * The connection set-up (`SET name TO value` statements) as one statement that applies it to the
 * current transaction only. `default_transaction_read_only` becomes `transaction_read_only`: the
 * transaction has already begun.
 */
/** The connection set-up as SET LOCAL statements (each a SET statement of the set-up). */
export function setLocalStatements(statements: readonly string[]): string[] {
  return statements.map((statement) => {
    const match = SET_STATEMENT.exec(statement.trim());
    if (!match) throw new Error(`The connection set-up ${JSON.stringify(statement)} is not a SET statement, so it cannot be applied per transaction`);
    const named = match[1]!.toLowerCase().replace(/\s+/g, ' ');
    const name = named === 'default_transaction_read_only' ? 'transaction_read_only' : named === 'time zone' ? 'TimeZone' : match[1]!;
    return `SET LOCAL ${name} TO ${match[2]!}`;
  });
}

export function localSetup(statements: readonly string[]): string {
  const calls = statements.map((statement) => {
    const match = SET_STATEMENT.exec(statement.trim());
    if (!match) throw new Error(`The connection set-up ${JSON.stringify(statement)} is not a SET statement, so it cannot be applied per transaction`);
    const named = match[1]!.toLowerCase().replace(/\s+/g, ' ');
    const name = named === 'default_transaction_read_only' ? 'transaction_read_only' : named === 'time zone' ? 'TimeZone' : match[1]!;
    const raw = match[2]!;
    const value = /^'.*'$/s.test(raw) ? raw.slice(1, -1).replace(/''/g, "'") : raw;
    return `pg_catalog.set_config('${name}', '${value.replace(/'/g, "''")}', true)`;
  });
  return `SELECT ${calls.join(', ')}`;
}

/** Runs one batch on a connection; resolves with the batch's results. */
/** How many statements of a failed batch completed before the one that failed. */
const completed = new WeakMap<object, number>();

/** The statements of the batch that failed with `err` that completed before it (undefined: not known). */
export function completedSteps(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? completed.get(err) : undefined;
}

export function run(conn: PgConnection, batch: WireBatch): Promise<WireQuery> {
  return new Promise((resolve, reject) => {
    conn.client.query(new WireQuery(batch, conn, (err, query) => {
      if (!err) return resolve(query);
      if (typeof err === 'object' && err !== null) completed.set(err, query.results.length);
      // The server ended the session (pg_terminate_backend, a shutdown): its ErrorResponse arrives
      // before the socket closes, so the connection must be marked here, or it could be handed out
      // again before its 'end' event and fail the next caller.
      if (isConnectionLost(err)) conn.broken = true;
      reject(err);
    }));
  });
}

/** Runs a batch and gives its error instead of throwing it (null when it succeeded). */
export async function settle(conn: PgConnection, batch: WireBatch): Promise<{ error: Error | null; query: WireQuery | undefined }> {
  try {
    return { error: null, query: await run(conn, batch) };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)), query: undefined };
  }
}

export function internals(client: pg.PoolClient): ClientInternals {
  return client as unknown as ClientInternals;
}

/** Closes the socket under a connection whose server stopped answering; its queries then fail. */
export function dropConnection(conn: PgConnection): void {
  conn.broken = true;
  internals(conn.client).connection.stream.destroy();
}
