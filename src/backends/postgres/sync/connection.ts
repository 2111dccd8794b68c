/**
 * The PostgreSQL backend's connection: a SyncPgClient (worker thread + Atomics.wait) set up for
 * the registry schema, the schema's catalog (read at open and again after DDL), SQLite's rules
 * for transaction statements, and every failure mapped to the SqliteError SQLite would raise.
 */
import type { OpenPlan } from '../../../adapter/config';
import { sqliteError, TranslationError, type SqliteError } from '../../../adapter/errors';
import type { SchemaCatalog } from '../../../schema/catalog';
import { readCatalogSteps } from '../../../schema/introspect';
import type { Translation, TransactionOp } from '../../../translator/types';
import { mapPgError } from '../core/errors';
import { announce, sessionSetup } from '../core/setup';
import { quoteIdent } from '../../../policy/identifiers';
import type { FieldInfo, RawRow } from '../core/protocol';
import { stepsOf, type PreparedStatement, type RowSource, type StatementRunner } from '../statement/prepared';
import { SyncPgClient } from './client';
import { driveSync, objectRows, openSchemaSteps } from '../core/open-schema';
import { NextRowid, returnedRowid } from '../core/next-rowid';
import { writeLockObjects } from '../core/write-lock';
import type { PgParam } from '../values/rows';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

/** Rows fetched per round trip by iterate(). */
const CURSOR_BATCH = 256;

export class PgConnection implements StatementRunner {
  readonly #client: SyncPgClient;
  readonly #url: string;
  readonly #schema: string;
  #catalog: SchemaCatalog;
  #statementIds = 0;
  /** Statements that change the database run under the write lock (not on a read-only connection). */
  readonly #writes: boolean;
  /** The next rowid of the table this connection last inserted into, while it is known. */
  readonly #nextRowid = new NextRowid();
  /** Savepoints opened by SAVEPOINT outside a transaction (SQLite then begins one; its RELEASE commits). */
  #outermostSavepoint: string | undefined;

  constructor(plan: ManagedPlan, { readonly }: { readonly: boolean }) {
    this.#url = plan.databaseUrl!;
    this.#writes = !readonly;
    this.#schema = plan.pgSchema;
    const setup = sessionSetup(plan.pgSchema, readonly);
    try {
      this.#client = new SyncPgClient({
        connectionString: plan.databaseUrl!,
        poolSize: plan.pgPoolSize,
        timeoutMs: plan.pgTimeoutMs,
        statementSetup: setup,
        applicationName: 'swarm-registry-adapter',
        writeLockScope: plan.pgSchema,
        writeLock: writeLockObjects(quoteIdent(plan.pgSchema)),
        busyTimeoutMs: plan.busyTimeoutMs,
        pooler: plan.pgPooler,
      });
    } catch (error) {
      throw this.#error(error);
    }
    const client = this.#client;
    try {
      this.#catalog = driveSync(openSchemaSteps(this.#schema, !readonly), (q) => objectRows(client.query(q.text, q.values as PgParam[])));
    } catch (error) {
      client.close();
      throw this.#error(error);
    }
    announce(plan);
  }

  /** SQLite's last_insert_rowid() of this connection (set by the INSERTs run on it). */
  lastInsertRowid = 0;

  get catalog(): SchemaCatalog {
    return this.#catalog;
  }

  get inTransaction(): boolean {
    return this.#client.inTransaction;
  }

  nextStatementId(): number {
    return ++this.#statementIds;
  }

  describe(translation: Translation): FieldInfo[] | null {
    try {
      return this.#client.describe(translation.text).fields;
    } catch (error) {
      throw refusedTranslation(this.#error(error), translation) ?? this.#error(error);
    }
  }

  execute(prepared: PreparedStatement, values: PgParam[]): { rows: RawRow[]; rowCount: number } {
    const { translation } = prepared;
    if (translation.transaction) {
      this.#control(translation.transaction);
      return { rows: [], rowCount: 0 };
    }
    let result;
    try {
      // A no-op (PRAGMA journal_mode = WAL, ...) changes nothing on PostgreSQL: no lock for it.
      const write = this.#writes && !translation.readonly && translation.noop !== true;
      const given = translation.rowidGiven;
      const before = this.#client.calls;
      const rowid = given && this.#client.inTransaction ? this.#nextRowid.take(given.table, before) : undefined;
      if (translation.steps) {
        result = this.#client.queryEach(stepsOf(translation, values, prepared.name), { write });
      } else if (rowid !== undefined) {
        // The row's rowid is known (next-rowid.ts): given as the last parameter, nothing returned.
        const text = String(rowid);
        const done = this.#client.query(given!.text, [...values, text], { name: prepared.name && `${prepared.name}_rowid`, write });
        result = { rows: done.rowCount === 1 ? [[text]] : [], rowCount: done.rowCount };
      } else {
        result = this.#client.query(translation.text, values, prepared.name || write ? { name: prepared.name, write } : undefined);
      }
      if (given && result.rowCount === 1 && this.#client.inTransaction) this.#nextRowid.inserted(given.table, returnedRowid(result.rows), this.#client.calls, before);
    } catch (error) {
      throw this.#error(error);
    }
    if (translation.changesSchema) this.#catalog = this.#readCatalog();
    return result;
  }

  /**
   * PostgreSQL's own SQL, untranslated, on this connection (in its open transaction, if any): for
   * shadow mode's change log, whose table is the adapter's and not the registry's. `write` takes
   * the write lock as a write statement does. Values come back as PostgreSQL's text.
   */
  internal(text: string, values: PgParam[], options: { name?: string; write?: boolean } = {}): RawRow[] {
    try {
      return this.#client.query(text, values, { ...options, write: options.write === true && this.#writes }).rows;
    } catch (error) {
      throw this.#error(error);
    }
  }

  /** `internal` SQL sent with the COMMIT that ends the open transaction (SyncPgClient.beforeCommit); its rows by `committedRows`. */
  internalOnCommit(text: string, values: PgParam[], name?: string): void {
    this.#client.beforeCommit({ text, values, ...(name !== undefined && { name }) });
  }

  get committedRows(): RawRow[] | undefined {
    return this.#client.lastRows;
  }

  openCursor(prepared: PreparedStatement, values: PgParam[]): RowSource {
    let opened;
    try {
      opened = this.#client.openCursor(prepared.translation.text, values, CURSOR_BATCH);
    } catch (error) {
      throw this.#error(error);
    }
    const client = this.#client;
    const { cursor } = opened;
    let rows = opened.rows;
    let done = opened.done;
    let index = 0;
    let closed = false;
    const toError = (error: unknown) => this.#error(error);
    return {
      next(): RawRow | undefined {
        while (index >= rows.length) {
          if (done || closed) return undefined;
          try {
            const batch = client.fetch(cursor);
            rows = batch.rows;
            done = batch.done;
            index = 0;
          } catch (error) {
            closed = true;
            throw toError(error);
          }
        }
        return rows[index++];
      },
      close(): void {
        if (closed) return;
        closed = true;
        if (!done) client.closeCursor(cursor);
      },
    };
  }

  close(): void {
    this.#client.close();
  }

  /** BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE, with SQLite's errors where SQLite refuses them. */
  #control(op: TransactionOp): void {
    const client = this.#client;
    try {
      switch (op.op) {
        case 'begin':
          if (client.inTransaction) throw sqliteError('cannot start a transaction within a transaction', 'SQLITE_ERROR');
          client.begin(op.mode);
          return;
        case 'commit':
          if (!client.inTransaction) throw sqliteError('cannot commit - no transaction is active', 'SQLITE_ERROR');
          this.#outermostSavepoint = undefined;
          client.commit();
          return;
        case 'rollback':
          if (!client.inTransaction) throw sqliteError('cannot rollback - no transaction is active', 'SQLITE_ERROR');
          this.#outermostSavepoint = undefined;
          client.rollback();
          return;
        case 'savepoint':
          if (!client.inTransaction) {
            client.begin('deferred');
            this.#outermostSavepoint = op.name;
          }
          client.savepoint(op.name);
          return;
        case 'release':
          if (!client.inTransaction) throw sqliteError(`no such savepoint: ${op.name}`, 'SQLITE_ERROR');
          client.release(op.name);
          if (this.#outermostSavepoint === op.name) {
            this.#outermostSavepoint = undefined;
            client.commit();
          }
          return;
        case 'rollback_to':
          if (!client.inTransaction) throw sqliteError(`no such savepoint: ${op.name}`, 'SQLITE_ERROR');
          client.rollbackTo(op.name);
          return;
      }
    } catch (error) {
      throw this.#error(error);
    }
  }

  #readCatalog(): SchemaCatalog {
    const client = this.#client;
    try {
      return driveSync(readCatalogSteps(this.#schema), (q) => objectRows(client.query(q.text, q.values as PgParam[])));
    } catch (error) {
      throw this.#error(error);
    }
  }

  #error(error: unknown): SqliteError {
    if (error instanceof Error && error.name === 'SqliteError') return error as SqliteError;
    const pg = (error as { pg?: unknown; failure?: { pg?: unknown } }).pg ?? (error as { failure?: { pg?: unknown } }).failure?.pg;
    return mapPgError(pg ?? error, { catalog: this.#catalog, url: this.#url });
  }
}

/**
 * PostgreSQL's type checks, failed while preparing a translated statement (no parameter is bound
 * yet, so only the statement's own text is at fault): SQLite runs the statement, converting values
 * between storage classes one by one, PostgreSQL cannot run its translation (no operator or function
 * for these types, a type that cannot be converted, a parameter whose type cannot be told, a constant
 * that does not read as the type it meets). That is a refusal at prepare, a TranslationError with
 * PostgreSQL's reason.
 */
const TYPE_CHECKS = new Set(['42883', '42804', '42846', '42725', '42P18', '22P02', '22007', '22008', '22003', '22021']);

function refusedTranslation(error: SqliteError, translation: Translation): TranslationError | undefined {
  const pg = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof pg?.code !== 'string' || !TYPE_CHECKS.has(pg.code) || translation.overridden) return undefined;
  const reason = typeof pg.message === 'string' ? pg.message : error.message;
  const refused = new TranslationError(
    `Cannot translate this statement to PostgreSQL: PostgreSQL refuses its types (${reason}). SQLite converts ` +
      'values between types here; write the conversion explicitly (CAST) so that both databases agree, or add ' +
      'an override (REGISTRY_SQL_OVERRIDES).',
    'types',
    translation.source,
  );
  return Object.assign(refused, { cause: error });
}
