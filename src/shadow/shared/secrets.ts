/**
 * Keeps the values of secret columns (`secrets.encrypted_value`, `triggers.webhook_secret`) out
 * of divergence records: answers, parameters and error texts, as the registry policy decides
 * (src/policy/secrets.ts). A result column is secret when the caller flags it, when the policy's
 * reading of the statement says it may carry a secret (an alias, an expression, a `*`), or when
 * its name is a secret column's and the statement reads that column's table; any other text that
 * holds a secret value known to the process (bound by the statement, read from a secret column
 * earlier) has it replaced.
 */
import type { Answer } from './answer';
import {
  defaultSecretColumns, hashSecret, isSecretResultColumn, knownSecrets, redactText, statementSecrets,
  type SecretColumns, type StatementSecretInfo,
} from '../../policy';

export { DEFAULT_SECRET_COLUMNS, SecretColumns, defaultSecretColumns, extendSecretColumns, hashSecret } from '../../policy';
export { redactParams, type RedactedParams } from './secret-params';
export { redactErrorText, hideKnownValues, type TextRedaction } from './secret-text';

/** What is known about one statement's secrets. */
export interface StatementSecrets {
  secrets?: SecretColumns;
  /** The SQLite statement (the policy reads which result columns may carry a secret). */
  sql?: string;
  /** Tables the statement reads or writes (Translation.tables); unknown: any table. */
  tables?: readonly string[];
  /** SQLite's result column names by position (needed for raw rows and plucked values). */
  columnNames?: readonly string[];
  /** Per result column: true where it holds a secret (added to what the policy finds). */
  secretResultFlags?: readonly boolean[];
  /** Clear values bound to secret columns (RedactedParams.secretValues). */
  secretValues?: readonly unknown[];
  databaseUrl?: string | null;
}

/** Expression columns of `expand` rows are grouped under this key (better-sqlite3's naming). */
const EXPRESSION_TABLE = '$';
const UNKNOWN: StatementSecretInfo = { touches: false, allResults: false, byName: false, positional: new Set(), named: new Set(), literals: [] };

/** Remembers the values of the answer's secret columns, so they are hidden wherever else they appear. */
export function learnAnswer(answer: Answer, context: StatementSecrets): void {
  if (answer.type !== 'rows') return;
  // A statement that names no secret column (nor selects * from a table with one) reads none.
  if (context.sql !== undefined && !context.secretResultFlags) {
    const info = infoOf(context);
    if (!info.touches && !info.allResults) return;
  }
  for (const row of answer.rows) visitRow(row, context, (secret, value) => {
    if (secret) knownSecrets.learn(value);
    return value;
  });
}

/** The answer with secret values hashed (a new object; the one given is not changed). */
export function redactAnswer(answer: Answer, context: StatementSecrets): Answer {
  if (answer.type === 'run') return answer;
  if (answer.type === 'error') return { ...answer, message: redactText(answer.message, textContext(context)) };
  const text = textContext(context);
  return { type: 'rows', rows: answer.rows.map((row) => visitRow(row, context, (secret, value) => (secret ? hashSecret(value) : hideIfKnown(value, text)))) };
}

/** One value read from result column `column` (name, position, or null for a plucked value). */
export function redactResultValue(column: string | number | null, value: unknown, context: StatementSecrets): unknown {
  // An `expand` row's table: its columns are known by table.
  if (typeof column === 'string' && isPlainRow(value)) return visitExpanded(column, value, context, (secret, v) => (secret ? hashSecret(v) : hideIfKnown(v, textContext(context))));
  if (isSecretResult(column, context)) return hashSecret(value);
  return hideIfKnown(value, textContext(context));
}

export function textRedaction(context: StatementSecrets): { secrets: SecretColumns; secretValues?: Iterable<unknown>; databaseUrl?: string | null; sql?: string } {
  return {
    secrets: context.secrets ?? defaultSecretColumns,
    ...(context.secretValues ? { secretValues: context.secretValues } : {}),
    ...(context.databaseUrl !== undefined ? { databaseUrl: context.databaseUrl } : {}),
    ...(context.sql !== undefined ? { sql: context.sql } : {}),
  };
}

function textContext(context: StatementSecrets): Parameters<typeof redactText>[1] {
  return {
    secrets: context.secrets ?? defaultSecretColumns,
    ...(context.secretValues ? { values: context.secretValues } : {}),
    ...(context.databaseUrl !== undefined ? { databaseUrl: context.databaseUrl } : {}),
    ...(context.sql !== undefined ? { sql: context.sql } : {}),
  };
}

type Visit = (secret: boolean, value: unknown) => unknown;

function visitRow(row: unknown, context: StatementSecrets, visit: Visit): unknown {
  if (Array.isArray(row)) return row.map((value, i) => visit(isSecretResult(i, context), value));
  if (!isPlainRow(row)) return visit(isSecretResult(null, context), row);
  const out: Record<string, unknown> = {};
  Object.entries(row).forEach(([name, value], i) => {
    out[name] = isPlainRow(value) ? visitExpanded(name, value, context, visit) : visit(isSecretResult(name, context, i), value);
  });
  return out;
}

/** `expand` mode: `{ table: { column: value } }`, so the table of each value is known. */
function visitExpanded(table: string, columns: Record<string, unknown>, context: StatementSecrets, visit: Visit): Record<string, unknown> {
  const secrets = context.secrets ?? defaultSecretColumns;
  const info = infoOf(context);
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(columns)) {
    const secret = table === EXPRESSION_TABLE ? isSecretResult(column, context) || info.touches || info.allResults : secrets.has(table, column);
    out[column] = visit(secret, value);
  }
  return out;
}

function infoOf(context: StatementSecrets): StatementSecretInfo {
  return context.sql !== undefined ? statementSecrets(context.sql, context.secrets ?? defaultSecretColumns) : UNKNOWN;
}

/** `keyIndex`: the position of an object row's key among its keys (SQLite's order), when names are not given. */
function isSecretResult(column: string | number | null, context: StatementSecrets, keyIndex?: number): boolean {
  const position = column === null ? 0 : typeof column === 'number' ? column : context.columnNames?.indexOf(column) ?? keyIndex ?? -1;
  if (position >= 0 && context.secretResultFlags?.[position]) return true;
  const name = typeof column === 'string' ? column : context.columnNames?.[position];
  const info = infoOf(context);
  // A value-difference detail names its column only: without a position, any secret result column of the statement counts.
  if (position < 0 && typeof column === 'string' && info.resultFlags?.some(Boolean)) return true;
  return isSecretResultColumn(info, position, name, context.tables, context.secrets ?? defaultSecretColumns);
}

/** A string holding a known secret has it replaced; a Buffer equal to one is hashed. */
function hideIfKnown(value: unknown, text: Parameters<typeof redactText>[1]): unknown {
  if (typeof value === 'string') return redactText(value, text);
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
    if (knownSecrets.has(hex) || redactText(hex, text) !== hex) return hashSecret(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => hideIfKnown(v, text));
  if (isPlainRow(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideIfKnown(v, text)]));
  return value;
}

function isPlainRow(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}
