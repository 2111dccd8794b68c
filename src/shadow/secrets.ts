/**
 * Keeps the values of secret columns (`secrets.encrypted_value`,
 * `triggers.webhook_secret`) out of divergence records: answers, parameters and error texts.
 * A result column is secret when the caller flags it, or when its name is a secret column's and
 * the statement reads that column's table; any value equal to a secret the statement bound is
 * hidden as well (it may come back under an alias).
 */
import type { Answer } from './answer';
import { defaultSecretColumns, hashSecret, secretTexts, type SecretColumns } from './secret-columns';
import { hideKnownValues, redactErrorText } from './secret-text';

export { DEFAULT_SECRET_COLUMNS, SecretColumns, defaultSecretColumns, extendSecretColumns, hashSecret } from './secret-columns';
export { redactParams, type RedactedParams } from './secret-params';
export { redactErrorText, hideKnownValues, type TextRedaction } from './secret-text';

/** What is known about one statement's secrets. */
export interface StatementSecrets {
  secrets?: SecretColumns;
  /** Tables the statement reads or writes (Translation.tables); unknown: any table. */
  tables?: readonly string[];
  /** SQLite's result column names by position (needed for raw rows and plucked values). */
  columnNames?: readonly string[];
  /** Per result column: true where it holds a secret (overrides the guess from names). */
  secretResultFlags?: readonly boolean[];
  /** Clear values bound to secret columns (RedactedParams.secretValues). */
  secretValues?: readonly unknown[];
  databaseUrl?: string | null;
}

/** Expression columns of `expand` rows are grouped under this key (better-sqlite3's naming). */
const EXPRESSION_TABLE = '$';

/** The answer with secret values hashed (a new object; the one given is not changed). */
export function redactAnswer(answer: Answer, context: StatementSecrets): Answer {
  if (answer.type === 'run') return answer;
  if (answer.type === 'error') return { ...answer, message: redactErrorText(answer.message, textRedaction(context)) };
  const known = knownValues(context.secretValues);
  return { type: 'rows', rows: answer.rows.map((row) => redactRow(row, context, known)) };
}

/** One value read from result column `column` (name, position, or null for a plucked value). */
export function redactResultValue(column: string | number | null, value: unknown, context: StatementSecrets): unknown {
  if (isSecretResult(column, context)) return hashSecret(value);
  return hideIfKnown(value, knownValues(context.secretValues));
}

export function textRedaction(context: StatementSecrets): { secrets: SecretColumns; secretValues?: Iterable<unknown>; databaseUrl?: string | null } {
  return { secrets: context.secrets ?? defaultSecretColumns, secretValues: context.secretValues, databaseUrl: context.databaseUrl };
}

function redactRow(row: unknown, context: StatementSecrets, known: KnownValues): unknown {
  if (Array.isArray(row)) return row.map((value, i) => (isSecretResult(i, context) ? hashSecret(value) : hideIfKnown(value, known)));
  if (!isPlainRow(row)) return isSecretResult(null, context) ? hashSecret(row) : hideIfKnown(row, known);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    out[name] = isPlainRow(value) ? redactExpanded(name, value, context, known) : isSecretResult(name, context) ? hashSecret(value) : hideIfKnown(value, known);
  }
  return out;
}

/** `expand` mode: `{ table: { column: value } }`, so the table of each value is known. */
function redactExpanded(table: string, columns: Record<string, unknown>, context: StatementSecrets, known: KnownValues): Record<string, unknown> {
  const secrets = context.secrets ?? defaultSecretColumns;
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(columns)) {
    const secret = table === EXPRESSION_TABLE ? isSecretResult(column, context) : secrets.has(table, column);
    out[column] = secret ? hashSecret(value) : hideIfKnown(value, known);
  }
  return out;
}

function isSecretResult(column: string | number | null, context: StatementSecrets): boolean {
  const position = column === null ? 0 : typeof column === 'number' ? column : context.columnNames?.indexOf(column) ?? -1;
  const flag = position >= 0 ? context.secretResultFlags?.[position] : undefined;
  if (flag !== undefined) return flag;
  const name = typeof column === 'string' ? column : context.columnNames?.[position];
  return name !== undefined && (context.secrets ?? defaultSecretColumns).isSecretName(name, context.tables);
}

interface KnownValues {
  values: readonly unknown[];
  texts: ReadonlySet<string>;
}

function knownValues(values: readonly unknown[] | undefined): KnownValues {
  const texts = new Set<string>();
  for (const value of values ?? []) for (const text of secretTexts(value)) texts.add(text);
  return { values: values ?? [], texts };
}

/** A value equal to a bound secret is hashed; text that contains one has it replaced. */
function hideIfKnown(value: unknown, known: KnownValues): unknown {
  if (known.texts.size === 0) return value;
  if (typeof value === 'string') return known.texts.has(value) ? hashSecret(value) : hideKnownValues(value, known.values);
  if (value instanceof Uint8Array && known.texts.has(Buffer.from(value).toString('hex'))) return hashSecret(value);
  return value;
}

function isPlainRow(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}
