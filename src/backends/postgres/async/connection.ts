/**
 * The async engine's connection to PostgreSQL: a pool (ConnectionPool, the same connection set-up
 * as the worker's: search_path, UTC, ISO dates, hex bytea, statement_timeout) used straight from
 * the caller's thread. Outside a transaction every call takes any free connection, so calls run
 * concurrently; inside `transaction(fn)` the calls of `fn` (found through AsyncLocalStorage) go to
 * the transaction's pinned connection. Every failure becomes the SqliteError the synchronous
 * backend raises for it.
 */
import { returnedRowid } from '../core/next-rowid';
import { stepsOf } from '../statement/prepared';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { OpenPlan } from '../../../adapter/config';
import { sqliteError } from '../../../adapter/errors';
import type { SchemaCatalog } from '../../../schema/catalog';
import { readCatalogSteps } from '../../../schema/introspect';
import type { Translation, TransactionOp } from '../../../translator/types';
import { asyncError, transactionLostError } from './errors';
import { TransactionScope } from './transaction';
import { Watchdog } from './watchdog';
import { announce, describeTarget, sessionSetup } from '../core/setup';
import { quoteIdent } from '../../../policy/identifiers';
import { writeLockKey } from '../core/write-lock-key';
import { driveAsync, objectRows, openSchemaSteps } from '../core/open-schema';
import { writeLockObjects } from '../core/write-lock';
import { ConnectionPool } from '../core/connections';
import { Cursors } from '../core/cursors';
import { RequestContext } from '../core/request-context';
import { Session } from '../core/session';
import { emptyResult } from '../core/wire-query';
import type { FieldInfo, RawRow, TransactionMode, WireResult, WorkerConfig } from '../core/protocol';
import type { PgParam } from '../values/rows';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

const NOT_OPEN = 'The database connection is not open';

/** Raw rows of a statement read through a server-side cursor. */
export interface RawCursor {
  readonly first: { rows: RawRow[]; done: boolean };
  fetch(): Promise<{ rows: RawRow[]; done: boolean }>;
  /** Settles once the cursor's connection is back in the pool. */
  close(): Promise<void>;
}

export class PgAsyncConnection {
  readonly #plan: ManagedPlan;
  readonly #config: WorkerConfig;
  readonly #pool: ConnectionPool;
  readonly #base: Session;
  readonly #baseCursors: Cursors;
  readonly #scopes = new AsyncLocalStorage<TransactionScope>();
  readonly #watchdog: Watchdog;
  readonly #target: string;
  readonly #ready: Promise<void>;
  #isReady = false;
  #catalog: SchemaCatalog | undefined;
  #open = true;
  /** Statements that change the database run under the write lock (not on a read-only connection). */
  readonly #writes: boolean;

  constructor(plan: ManagedPlan, { readonly }: { readonly: boolean }) {
    this.#plan = plan;
    this.#config = {
      connectionString: plan.databaseUrl!,
      poolSize: plan.pgPoolSize,
      timeoutMs: plan.pgTimeoutMs,
      statementSetup: sessionSetup(plan.pgSchema, readonly),
      applicationName: 'swarm-registry-adapter',
      writeLockKey: writeLockKey(plan.pgSchema).toString(),
      writeLock: writeLockObjects(quoteIdent(plan.pgSchema)),
      busyTimeoutMs: plan.busyTimeoutMs,
      pooler: plan.pgPooler,
    };
    this.#writes = !readonly;
    this.#target = describeTarget(plan.databaseUrl!);
    this.#pool = new ConnectionPool(this.#config, 'async');
    this.#base = new Session(this.#pool, this.#config);
    this.#baseCursors = new Cursors(this.#base);
    this.#watchdog = new Watchdog(plan.pgTimeoutMs);
    this.#ready = this.#init();
    // A failed open is reported by the first call that awaits it, not as an unhandled rejection.
    this.#ready.catch(() => undefined);
  }

  get open(): boolean {
    return this.#open;
  }

  /** The schema's catalog (read at open, and again after DDL); only after `ready()`. */
  /** SQLite's last_insert_rowid() of this connection (set by the INSERTs run on it). */
  lastInsertRowid = 0;

  get catalog(): SchemaCatalog {
    return this.#catalog!;
  }

  /** True inside `transaction(fn)`'s calls (the transaction belongs to fn, not to the database). */
  get inTransaction(): boolean {
    const scope = this.#scopes.getStore();
    return scope !== undefined && !scope.ended && scope.session.tx !== null;
  }

  /** Resolves once the schema exists and its catalog is read; rejects when the database cannot be opened. */
  ready(): Promise<void> | undefined {
    this.#requireOpen();
    return this.#isReady ? undefined : this.#ready;
  }

  /** Runs one translated statement: in the caller's transaction if any, else on any pooled connection. */
  async execute(translation: Translation, values: PgParam[], name: string | undefined): Promise<WireResult> {
    if (translation.transaction) {
      await this.#control(translation.transaction);
      return emptyResult();
    }
    const scope = this.#scope();
    // A no-op (PRAGMA journal_mode = WAL, ...) changes nothing on PostgreSQL: no lock for it.
    const write = this.#writes && !translation.readonly && translation.noop !== true;
    const given = translation.rowidGiven;
    const before = scope?.calls ?? 0;
    const rowid = given && scope ? scope.nextRowid.take(given.table, before) : undefined;
    let result: WireResult;
    if (translation.steps) {
      const steps = stepsOf(translation, values, name);
      result = await this.#request('query', scope, (ctx, session) => session.queryEach(ctx, steps, write));
    } else if (rowid !== undefined) {
      // The row's rowid is known (next-rowid.ts): given as the last parameter, nothing returned.
      const text = String(rowid);
      const done = await this.#request('query', scope, (ctx, session) => session.query(ctx, given!.text, [...values, text], name && `${name}_rowid`, write));
      result = { ...done, rows: done.rowCount === 1 ? [[text]] : [] };
    } else {
      result = await this.#request('query', scope, (ctx, session) => session.query(ctx, translation.text, values, name, write));
    }
    // `before + 1`: this request, if nothing was sent after it.
    if (given && scope && result.rowCount === 1) scope.nextRowid.inserted(given.table, returnedRowid(result.rows), before + 1, before);
    if (translation.changesSchema) {
      if (scope) scope.changedSchema = true;
      await this.#readCatalog(scope);
    }
    return result;
  }

  /** Result columns of `text` (null: it returns no rows), learnt without running it. */
  async describe(text: string): Promise<FieldInfo[] | null> {
    const scope = this.#scope();
    return (await this.#request('prepare', scope, (ctx, session) => session.describe(ctx, text))).fields;
  }

  /** Opens a cursor over a SELECT and reads its first batch (one round trip). */
  async openCursor(text: string, values: PgParam[], batchSize: number): Promise<RawCursor> {
    const scope = this.#scope();
    const cursors = scope?.cursors ?? this.#baseCursors;
    const opened = await this.#request('query', scope, (ctx) => cursors.open(ctx, text, values, batchSize));
    const id = opened.cursor;
    return {
      first: opened,
      fetch: () => this.#request('query', scope, (ctx) => cursors.fetch(ctx, id)),
      // Outside a transaction, under the watchdog: a server that stopped answering cannot hold the
      // caller's loop (for await ... break) past the timeout.
      close: () => (scope ? cursors.close(id) : this.#request('query', undefined, (ctx) => cursors.close(id, ctx))),
    };
  }

  /** Runs `fn` in a transaction pinned to one connection: COMMIT when it resolves, ROLLBACK when it rejects. */
  async transaction<T>(fn: () => Promise<T>, mode: TransactionMode): Promise<T> {
    await this.ready();
    const scope = new TransactionScope(this.#pool, this.#config);
    const label = mode === 'deferred' ? 'BEGIN' : `BEGIN ${mode.toUpperCase()}`;
    await this.#request(label, undefined, (ctx) => scope.session.begin(ctx, mode));
    let result: T;
    try {
      result = await this.#scopes.run(scope, fn);
    } catch (error) {
      await this.#finish(scope, 'ROLLBACK').catch(() => undefined);
      throw error;
    }
    await this.#finish(scope, 'COMMIT');
    return result;
  }

  /** A nested transaction: `fn` inside a savepoint of the caller's transaction. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const scope = this.#scope();
    if (!scope) throw new TypeError('A savepoint needs a transaction: call it inside transaction(fn).');
    const name = scope.nextSavepoint();
    const step = (action: 'savepoint' | 'release' | 'rollbackTo', label: string) =>
      this.#request(label, scope, (ctx) => scope.session.savepoint(ctx, action, name));
    await step('savepoint', 'SAVEPOINT');
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (scope.session.tx) await step('rollbackTo', 'ROLLBACK TO').then(() => step('release', 'RELEASE')).catch(() => undefined);
      throw error;
    }
    await step('release', 'RELEASE');
    return result;
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#watchdog.stop();
    await this.#baseCursors.closeAll();
    await this.#pool.end();
  }

  async #init(): Promise<void> {
    this.#catalog = await this.#request('open', undefined, (ctx, session) =>
      driveAsync(openSchemaSteps(this.#plan.pgSchema, this.#writes), async (q) => objectRows(await session.query(ctx, q.text, q.values as PgParam[]))),
    );
    this.#isReady = true;
    announce(this.#plan);
  }

  async #readCatalog(scope: TransactionScope | undefined): Promise<void> {
    this.#catalog = await this.#request('query', scope, (ctx, session) =>
      driveAsync(readCatalogSteps(this.#plan.pgSchema), async (q) => objectRows(await session.query(ctx, q.text, q.values as PgParam[]))),
    );
  }

  /** SQL transaction statements: savepoints work inside transaction(fn); the rest must go through it. */
  async #control(op: TransactionOp): Promise<void> {
    const scope = this.#scope();
    if (!scope) {
      if (op.op === 'commit' || op.op === 'rollback') throw sqliteError(`cannot ${op.op} - no transaction is active`, 'SQLITE_ERROR');
      if (op.op === 'release' || op.op === 'rollback_to') throw sqliteError(`no such savepoint: ${op.name}`, 'SQLITE_ERROR');
      throw sqliteError(
        `${op.op.toUpperCase()} cannot open a transaction on AsyncDatabase with PostgreSQL: its calls share a pool of ` +
          'connections, so only transaction(async fn) can pin one connection for them. Use db.transaction(fn, mode).',
        'SQLITE_MISUSE',
      );
    }
    if (op.op === 'begin') throw sqliteError('cannot start a transaction within a transaction', 'SQLITE_ERROR');
    if (op.op === 'commit' || op.op === 'rollback') {
      throw sqliteError(
        `${op.op.toUpperCase()} cannot end transaction(fn) from inside fn: return from fn to commit, throw to roll back.`,
        'SQLITE_MISUSE',
      );
    }
    const action = op.op === 'rollback_to' ? 'rollbackTo' : op.op;
    await this.#request(op.op.toUpperCase(), scope, (ctx) => scope.session.savepoint(ctx, action, op.name));
  }

  async #finish(scope: TransactionScope, sql: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const { session } = scope;
    const lost = session.tx === null;
    scope.ended = true;
    if (lost) {
      if (sql === 'COMMIT') throw transactionLostError();
    } else {
      await this.#request(sql, scope, async (ctx) => void (sql === 'COMMIT' ? await session.commit(ctx) : await session.rollback(ctx)));
    }
    // The catalog was read inside the transaction: what it saw of the rolled-back DDL is gone.
    if (sql === 'ROLLBACK' && scope.changedSchema) await this.#readCatalog(undefined);
  }

  /** The caller's transaction, when the call is made inside one (refused if it has ended or was lost). */
  #scope(): TransactionScope | undefined {
    this.#requireOpen();
    const scope = this.#scopes.getStore();
    scope?.check();
    return scope;
  }

  #requireOpen(): void {
    if (!this.#open) throw new TypeError(NOT_OPEN);
  }

  /** Runs one request (one or more batches) with the watchdog on, mapping its failure. */
  async #request<T>(operation: string, scope: TransactionScope | undefined, op: (ctx: RequestContext, session: Session) => Promise<T>): Promise<T> {
    if (scope) scope.calls++;
    const ctx = new RequestContext(0);
    this.#watchdog.watch(ctx);
    try {
      return await op(ctx, scope?.session ?? this.#base);
    } catch (error) {
      throw asyncError(error, {
        operation,
        timeoutMs: this.#plan.pgTimeoutMs,
        target: this.#target,
        inTransaction: scope !== undefined,
        url: this.#config.connectionString,
        catalog: this.#catalog,
        poolSize: this.#plan.pgPoolSize,
        ran: ctx.ran,
        silent: this.#watchdog.unwatch(ctx),
      });
    } finally {
      this.#watchdog.unwatch(ctx);
      scope?.settle();
    }
  }
}
