/**
 * PostgreSQL errors as the SqliteError better-sqlite3 would have thrown for the same mistake:
 * its `code` strings and SQLite's own wording where the engine might read it (constraint
 * failures, syntax, missing tables and columns); otherwise SQLite's phrase for the class of
 * failure followed by PostgreSQL's reason. The PostgreSQL error is kept as `cause`.
 *
 * Beyond the direct equivalents (the table is in docs/api.md, Errors): invalid or out-of-range input values (22P02, 22007, 22008, 22003,
 * 22021) are SQLITE_MISMATCH, where SQLite would usually have stored the value as it came; a
 * server that cannot be reached or refuses the login is SQLITE_CANTOPEN; a read-only
 * transaction is SQLITE_READONLY; missing privileges SQLITE_PERM; a full disk SQLITE_FULL.
 */
import { sqliteError, TranslationError, type SqliteError } from '../../../adapter/errors';
import { findColumn, findTable, type SchemaCatalog, type TableInfo } from '../../../schema/catalog';
import { redactSecrets } from '../../../adapter/redact';
import { INTEGER_OVERFLOW } from '../../../translator/rules/aggregates';
import { STORE_MISMATCH_STATE } from '../../../schema/store-functions';

export { redactSecrets, redactUrl } from '../../../adapter/redact';

export interface PgErrorContext {
  /** Tells a primary key from another unique key, and gives tables their declared names. */
  catalog?: SchemaCatalog;
  /** The connection URL: its password is removed from every message. */
  url?: string;
}

/** The fields of `pg`'s DatabaseError (and Node's system errors) that the mapping reads. */
interface PgErrorLike {
  message?: string;
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
}

const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08007']);
const CANNOT_CONNECT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '08001', '08004', '28000', '28P01', '3D000']);
const BUSY = new Set(['40001', '40P01', '55P03']);
// (08P01 at ERROR severity and 22P03: a value bound whose bytes the server cannot read as the parameter's type.)
const MISMATCH = new Set(['22P02', '22007', '22008', '22003', '22021', '22P03', '08P01']);

export function mapPgError(err: unknown, context: PgErrorContext = {}): SqliteError {
  const e: PgErrorLike = typeof err === 'object' && err !== null ? (err as PgErrorLike) : { message: String(err) };
  const pgMessage = e.message ?? String(err);
  const code = e.code ?? '';
  if (code === '42803') return bareColumn(pgMessage);
  const [message, sqliteCode] = translate(e, code, pgMessage, context);
  return sqliteError(redactSecrets(message, context.url), sqliteCode, err);
}

/**
 * A column neither grouped nor aggregated (`SELECT name, max(x) FROM t`): SQLite answers with a
 * value from some row of the group (for a lone max()/min(), the row holding it), PostgreSQL
 * refuses the query. PostgreSQL reports it when the statement is prepared, so it is a refusal at
 * prepare, as a translation error that says how to write the query.
 */
function bareColumn(pg: string): SqliteError {
  const column = quoted(pg) ?? '?';
  const error = new TranslationError(
    `Cannot translate the bare column ${column} of an aggregate query to PostgreSQL: SQLite takes it from one row of each group ` +
      '(for max()/min(), the row holding the maximum or minimum), PostgreSQL refuses a column that is neither in GROUP BY nor aggregated. ' +
      'Add it to GROUP BY, or wrap it in an aggregate such as max(); for the row holding a maximum, use ORDER BY ... LIMIT 1 or a window function.',
    'a bare column in an aggregate query',
    '',
  );
  return error as unknown as SqliteError;
}

/** True when the error means the connection is gone (the statement's outcome is then unknown). */
export function isConnectionLost(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as PgErrorLike;
  if (code !== undefined && CONNECTION_LOST.has(code)) return true;
  return typeof message === 'string' &&
    (message.includes('Connection terminated') || message.includes('connection error and is not queryable'));
}

function translate(e: PgErrorLike, code: string, pg: string, context: PgErrorContext): [string, string] {
  // SUM() beyond 64 bits: the translation casts a text naming the overflow (SQLite's own error).
  if (code === '22P02' && pg.includes(`"${INTEGER_OVERFLOW}`)) return ['integer overflow', 'SQLITE_ERROR'];
  switch (code) {
    case '23505':
      return uniqueViolation(e, context.catalog);
    case '23503':
      return ['FOREIGN KEY constraint failed', 'SQLITE_CONSTRAINT_FOREIGNKEY'];
    case '23502':
      return [`NOT NULL constraint failed: ${tableName(e.table, context.catalog)}.${e.column ?? '?'}`, 'SQLITE_CONSTRAINT_NOTNULL'];
    case '23514':
      return [`CHECK constraint failed: ${e.constraint ?? pg}`, 'SQLITE_CONSTRAINT_CHECK'];
    case '42601':
      return [syntaxMessage(pg), 'SQLITE_ERROR'];
    case '42P01':
      return [`no such table: ${unqualified(quoted(pg) ?? pg, context.catalog)}`, 'SQLITE_ERROR'];
    case '42703':
      return [undefinedColumn(pg, context.catalog), 'SQLITE_ERROR'];
    case '42883':
      return [`no such function: ${(quoted(pg) ?? pg.replace(/^function /, '')).split('(')[0]}`, 'SQLITE_ERROR'];
    case '42P07':
      return [`table ${unqualified(quoted(pg) ?? pg, context.catalog)} already exists`, 'SQLITE_ERROR'];
    case STORE_MISMATCH_STATE: // an expression SQLite would store in a class the column cannot hold (store-functions.ts)
      return [pg, 'SQLITE_MISMATCH'];
    case '2201W': // LIMIT must not be negative
    case '2201X': // OFFSET must not be negative
      return ['datatype mismatch', 'SQLITE_MISMATCH'];
    case '57014':
      return [`interrupted: ${pg}`, 'SQLITE_INTERRUPT'];
    case '25006':
      return [`attempt to write a readonly database: ${pg}`, 'SQLITE_READONLY'];
    case '42501':
      return [`access permission denied: ${pg}`, 'SQLITE_PERM'];
    case '53100':
      return [`database or disk is full: ${pg}`, 'SQLITE_FULL'];
  }
  if (code.startsWith('23')) return [`constraint failed: ${pg}`, 'SQLITE_CONSTRAINT'];
  if (BUSY.has(code)) return [`database is locked: ${pg}`, 'SQLITE_BUSY'];
  if (MISMATCH.has(code)) return [`datatype mismatch: ${pg}`, 'SQLITE_MISMATCH'];
  if (CANNOT_CONNECT.has(code)) return [`unable to open database file: cannot connect to PostgreSQL: ${pg}`, 'SQLITE_CANTOPEN'];
  if (isConnectionLost(e)) return [`disk I/O error: the connection to PostgreSQL was lost: ${pg}`, 'SQLITE_IOERR'];
  return [pg, 'SQLITE_ERROR'];
}

/** `UNIQUE constraint failed: t.a, t.b`; a violated primary key has its own code, as in SQLite. */
function uniqueViolation(e: PgErrorLike, catalog: SchemaCatalog | undefined): [string, string] {
  const table = e.table && catalog ? findTable(catalog, e.table) : undefined;
  const name = table?.name ?? e.table ?? '?';
  const columns = keyColumns(e.detail) ?? columnsByConstraintName(e, table);
  const primary = table
    ? columns !== undefined && sameColumns(columns, table.primaryKey)
    : e.constraint !== undefined && e.constraint === `${e.table}_pkey`;
  const failed = columns ? columns.map((c) => `${name}.${table ? findColumn(table, c)?.name ?? c : c}`).join(', ') : `index '${e.constraint ?? '?'}'`;
  return [`UNIQUE constraint failed: ${failed}`, primary ? 'SQLITE_CONSTRAINT_PRIMARYKEY' : 'SQLITE_CONSTRAINT_UNIQUE'];
}

/** The column list of PostgreSQL's `Key (a, b)=(1, 2) already exists.` */
function keyColumns(detail: string | undefined): string[] | undefined {
  if (!detail?.startsWith('Key (')) return undefined;
  const end = detail.indexOf(')=(');
  if (end < 0) return undefined;
  return detail.slice(5, end).split(', ').map((c) => (c.startsWith('"') && c.endsWith('"') ? c.slice(1, -1) : c));
}

/** Without a detail (hidden by privileges), PostgreSQL's default constraint names still tell. */
function columnsByConstraintName(e: PgErrorLike, table: TableInfo | undefined): string[] | undefined {
  if (!table || !e.constraint) return undefined;
  if (e.constraint === `${e.table}_pkey`) return table.primaryKey;
  return table.uniqueKeys.find((key) => e.constraint === `${e.table}_${key.join('_')}_key`);
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  const lower = new Set(b.map((c) => c.toLowerCase()));
  return a.every((c) => lower.has(c.toLowerCase()));
}

/** `near "X": syntax error`, or SQLite's `incomplete input` when the statement ends too early. */
function syntaxMessage(pg: string): string {
  if (pg.includes('at end of input')) return 'incomplete input';
  const token = quoted(pg);
  return token === undefined ? `syntax error: ${pg}` : `near "${token}": syntax error`;
}

/** `no such column: x`, or `table t has no column named x` for an INSERT's column list. */
function undefinedColumn(pg: string, catalog: SchemaCatalog | undefined): string {
  const ofRelation = /^column "(.+)" of relation "(.+)" does not exist$/.exec(pg);
  if (ofRelation) return `table ${tableName(ofRelation[2], catalog)} has no column named ${ofRelation[1]}`;
  const plain = /^column (?:"(.+)"|(\S+)) does not exist$/.exec(pg);
  return `no such column: ${plain ? plain[1] ?? plain[2] : pg}`;
}

function quoted(pg: string): string | undefined {
  const start = pg.indexOf('"');
  const end = pg.lastIndexOf('"');
  return start >= 0 && end > start ? pg.slice(start + 1, end) : undefined;
}

function unqualified(name: string, catalog: SchemaCatalog | undefined): string {
  const prefix = catalog ? `${catalog.schema}.` : undefined;
  return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function tableName(table: string | undefined, catalog: SchemaCatalog | undefined): string {
  if (!table) return '?';
  return (catalog && findTable(catalog, table)?.name) || table;
}
