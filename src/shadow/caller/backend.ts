/**
 * Shadow mode (docs/shadow-mode.md): a backend around two backends. The primary (REGISTRY_PRIMARY) answers the
 * caller, on the caller's thread; the secondary gets every write in the primary's order and the
 * sampled reads, through a mirror worker thread that applies them, compares the answers and logs
 * divergences. With a SQLite primary on a file, writes reach the worker through the change log in
 * the registry file itself (change-capture.ts), written in the caller's own transactions. The
 * caller's cost is an enqueue or one more INSERT in its transaction: nothing the secondary does
 * (slow, down, failing, a full queue) can slow, fail or change the primary's answer.
 */
import os from 'node:os';
import crypto from 'node:crypto';
import {
  ConfigurationError, type ControlStatement, createTransaction, type DatabaseOptions, type OpenPlan,
  Statement,
} from '../../adapter';
import { capabilities, type Backend, type BackendCapabilities, type ConnectionState, type SqliteOnlyMember, type TransactionFunction } from '../../contracts';
import { splitStatements } from '../../translator';
import { type SideName, whyUnwritable } from '../shared';
import { ChangeCapture, type CaptureDatabase } from './change-capture';
import { MirrorChannel } from './mirror-channel';
import { PgChangeCapture } from './pg-change-capture';
import type { PostgresBackend } from '../../backends/postgres';
import { fillNowDefaults } from './now-defaults';
import { postgresPrimary, sqlitePrimary, type PrimarySide } from './primary';
import { ShadowSession } from './session';
import { shadowSettings, type ShadowOptions } from './settings';
import { ShadowStatementEngine } from './statement-engine';
import { readShadowStats, type ShadowStats } from './stats';
import { observeShadow } from './metrics';
import { announceShadow } from './announce';
import { transactionOp } from '../../policy';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

const REGISTERING: ReadonlySet<SqliteOnlyMember> = new Set(['function', 'aggregate', 'table']);
/** Statements SQLite refuses inside a transaction: never wrapped with their log row. */
const NOT_IN_TRANSACTION = /^\s*(PRAGMA|VACUUM|ATTACH|DETACH)\b/i;

/**
 * The divergence log must be writable from the start: a divergence dropped because its file could
 * not be written would let `status` say there was none.
 */
function requireWritableLog(file: string): void {
  const why = whyUnwritable(file);
  if (why) throw new ConfigurationError(`REGISTRY_DIVERGENCE_LOG=${file} cannot be used: ${why}. Create the folder or point REGISTRY_DIVERGENCE_LOG at a writable file.`, 'REGISTRY_DIVERGENCE_LOG');
}

/** The change log's capture on the primary's own connection. */
function openCapture(primary: Backend, database: object): ChangeCapture {
  return new ChangeCapture({
    prepare: (sql) => primary.prepare(sql, database) as ReturnType<CaptureDatabase['prepare']>,
    exec: (sql) => primary.exec(sql),
    get inTransaction() {
      return primary.inTransaction;
    },
  });
}

/** The change log's capture on a PostgreSQL primary's connection (its table in the registry schema). */
function openPgCapture(primary: Backend, database: object, schema: string): PgChangeCapture {
  const pgBackend = primary as PostgresBackend;
  const control = (sql: string) => primary.prepare(sql, database) as { run(): unknown };
  const begin = control('BEGIN');
  const commit = control('COMMIT');
  const rollback = control('ROLLBACK');
  return new PgChangeCapture(
    {
      query: (text, values, options) => pgBackend.internalQuery(text, values, options),
      onCommit: (text, values, name) => pgBackend.internalOnCommit(text, values, name),
      get committedRows() {
        return pgBackend.committedRows;
      },
      begin: () => void begin.run(),
      commit: () => void commit.run(),
      rollback: () => void rollback.run(),
      get inTransaction() {
        return primary.inTransaction;
      },
    },
    schema,
  );
}

/** A SQLite secondary that lives in the worker's memory only: nothing durable to apply a log to. */
function secondaryInMemory(filename: string): boolean {
  return filename === '' || filename === ':memory:' || /^file::memory:/i.test(filename) || /[?&]mode=memory\b/.test(filename);
}

export class ShadowBackend implements Backend {
  readonly capabilities: BackendCapabilities;
  readonly sqliteOnly?: (member: SqliteOnlyMember, database: object, args: unknown[]) => unknown;
  readonly #primary: PrimarySide;
  readonly #session: ShadowSession;
  readonly #channel: MirrorChannel;
  readonly #state: ConnectionState;
  readonly #sides: { primary: SideName; secondary: SideName };
  readonly #closeTimeoutMs: number;
  readonly #stopMetrics: () => void;

  constructor(plan: ManagedPlan, filename: string, options: DatabaseOptions & ShadowOptions, database: object) {
    const settings = shadowSettings(options);
    requireWritableLog(plan.divergenceLog);
    const primarySide: SideName = plan.primary;
    const secondarySide: SideName = primarySide === 'sqlite' ? 'postgres' : 'sqlite';
    this.#sides = { primary: primarySide, secondary: secondarySide };
    this.#closeTimeoutMs = settings.closeTimeoutMs;
    const session = (): ShadowSession => this.#session;
    this.#primary = primarySide === 'sqlite' ? sqlitePrimary(filename, options, database, session) : postgresPrimary(plan, filename, options, session);
    const primary = this.#primary.backend;
    this.capabilities = capabilities({ ...primary.capabilities, shadowStats: true });
    const capture = primary.readonly ? undefined
      : primarySide === 'sqlite' ? (primary.memory ? undefined : openCapture(primary, database))
      : secondaryInMemory(filename) ? undefined : openPgCapture(primary, database, plan.pgSchema);
    this.#channel = new MirrorChannel(
      {
        primarySide,
        secondarySide,
        databaseUrl: plan.databaseUrl!,
        pgSchema: plan.pgSchema,
        pgTimeoutMs: plan.pgTimeoutMs,
        pgPooler: plan.pgPooler,
        sqlOverrides: [...plan.sqlOverrides],
        sqliteFile: filename,
        divergenceLog: plan.divergenceLog,
        mirrorId: `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`,
        groupSize: settings.groupSize,
        ...(settings.applierWrapper ? { applierWrapper: settings.applierWrapper } : {}),
        ...(capture ? { changeLog: true } : {}),
      },
      settings.queueSize,
    );
    this.#session = new ShadowSession(this.#channel, plan.shadowSample, () => primary.inTransaction, capture);
    const side = this.#primary;
    this.#state = {
      get open() {
        return primary.open;
      },
      iterating: 0,
      safeIntegers: false,
      answeredBy: { backend: primarySide, role: 'primary' },
    };
    this.#stopMetrics = observeShadow(() => this.shadowStats());
    if (primary.sqliteOnly) {
      const forward = primary.sqliteOnly.bind(primary);
      this.sqliteOnly = (member, db, args) => {
        const result = forward(member, db, args);
        if (REGISTERING.has(member)) this.#session.registerName(member, args[0]);
        if (member === 'defaultSafeIntegers') side.safeIntegers = this.#state.safeIntegers = args[0] === undefined ? true : Boolean(args[0]);
        return result;
      };
    }
    announceShadow(primarySide, filename, plan.databaseUrl!, plan.pgSchema);
  }

  get name(): string {
    return this.#primary.backend.name;
  }
  get open(): boolean {
    return this.#primary.backend.open;
  }
  get inTransaction(): boolean {
    return this.#primary.backend.inTransaction;
  }
  get memory(): boolean {
    return this.#primary.backend.memory;
  }
  get readonly(): boolean {
    return this.#primary.backend.readonly;
  }

  prepare(source: string, database: object): unknown {
    const sql = this.#mirrored(source);
    const prepared = this.#primary.prepare(sql, database);
    const control = typeof source === 'string' ? transactionOp(source) : undefined;
    const engine = new ShadowStatementEngine(prepared.engine, this.#session, {
      source,
      sql,
      usesNow: prepared.usesNow,
      ...(control ? { control } : {}),
      ...(prepared.meta ? { meta: prepared.meta } : {}),
      ...(this.#primary.checkArgs && typeof sql === 'string' ? { checkArgs: (args: readonly unknown[]) => this.#primary.checkArgs!(sql, args) } : {}),
    });
    return new Statement(engine, this.#state, database);
  }

  exec(source: string): void {
    const primary = this.#primary.backend;
    if (typeof source !== 'string' || !primary.open) return primary.exec(source); // better-sqlite3's own errors
    if (this.#state.iterating > 0) throw new TypeError('This database connection is busy executing a query');
    for (const statement of splitStatements(source)) {
      const sql = this.#mirrored(statement);
      const control = transactionOp(sql);
      if (control) {
        this.#session.control(control, () => primary.exec(sql));
        continue;
      }
      if (NOT_IN_TRANSACTION.test(sql)) this.#execOne(sql);
      else this.#session.autocommit(() => this.#execOne(sql));
    }
  }

  /** One statement of exec() that is not a transaction statement. */
  #execOne(sql: string): void {
    const primary = this.#primary.backend;
    const run = this.#primary.execSql(sql);
    if (run.usesNow) this.#session.stampNow();
    const op = { sql, method: 'exec' as const, args: [], shape: 'object' as const, safeIntegers: false, write: true, t: Date.now(), ...(run.usesNow ? { now: this.#session.now } : {}) };
    try {
      if (run.run) run.run();
      else primary.exec(run.sql);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string') {
        this.#session.sync();
        this.#session.mirror({ ...op, answer: { type: 'error', code, message: (error as Error).message } });
      }
      throw error;
    }
    this.#session.mirror({ ...op, answer: { type: 'run', changes: 0 } });
  }

  pragma(source: string, simple: boolean, database: object): unknown {
    const result = this.#primary.backend.pragma(source, simple, database);
    // Applied on the secondary (user_version, foreign_keys...), never compared: answers are per engine.
    this.#session.mirror({ sql: `PRAGMA ${source}`, method: 'pragma', args: [], shape: 'object', safeIntegers: false, write: false, t: Date.now() });
    return result;
  }

  transaction(fn: (...args: unknown[]) => unknown, database: object): TransactionFunction {
    const backend = this;
    const controls = {
      get inTransaction() {
        return backend.inTransaction;
      },
      prepareControl: (source: string): ControlStatement => {
        const statement = this.#primary.backend.prepare(source, database) as ControlStatement;
        const op = transactionOp(source)!;
        return { run: () => this.#session.control(op, () => statement.run()) };
      },
    };
    return createTransaction(fn, controls, database);
  }

  close(): void {
    const primary = this.#primary.backend;
    if (!primary.open) return primary.close();
    this.#channel.flush(); // reads' change log positions are settled on the open primary
    primary.close();
    this.#stopMetrics();
    this.#session.tx.abandon(); // closing rolls back an open transaction
    this.#channel.close(this.#closeTimeoutMs);
  }

  /**
   * The statement both sides run: omitted DEFAULT CURRENT_TIMESTAMP columns named with the
   * statement's 'now' (now-defaults.ts). After DDL the defaults are learnt again.
   */
  #mirrored(source: string): string {
    if (typeof source !== 'string') return source;
    if (/^\s*(CREATE|ALTER|DROP)\b/i.test(source)) {
      this.#primary.forgetSchema();
      return source;
    }
    try {
      return fillNowDefaults(source, this.#primary.nowDefaults);
    } catch {
      return source; // the primary reports the statement's own error
    }
  }

  shadowStats(): ShadowStats {
    return readShadowStats(this.#channel, this.#sides);
  }
}
