/**
 * The registry's secrecy policy, one module for every output: shadow mode's divergence log and
 * mirror, `report`, `verify`/`repair`, `status`, and the errors the adapter throws.
 *
 * It decides by column and by value:
 * - by column: the secret columns (secret-columns.ts) and, per statement, which result columns,
 *   parameters and literals carry one of their values (secret-statement.ts);
 * - by value: every secret value that passes through this process (read from a secret column, or
 *   written into one, as a parameter or a literal) is remembered as a fingerprint
 *   (known-secrets.ts), and any later appearance of it in any text is replaced by its hash,
 *   whatever carried it there.
 * One hash format everywhere: `sha256:` and 16 hex digits of the value's SHA-256.
 */
import { redactSecrets } from '../adapter/redact';
import { knownSecrets } from './known-secrets';
import { defaultSecretColumns, hashSecret, type SecretColumns } from './secret-columns';
import { statementSecrets, type StatementSecretInfo } from './secret-statement';

export { DEFAULT_SECRET_COLUMNS, SECRET_HASH_PREFIX, SecretColumns, defaultSecretColumns, extendSecretColumns, hashSecret } from './secret-columns';
export { KnownSecrets, knownSecrets, MIN_SECRET_LENGTH } from './known-secrets';
export { statementSecrets, type StatementSecretInfo } from './secret-statement';

// PostgreSQL's details that quote values: `Key (cols)=(values)`, `Failing row contains (...)`.
const KEY_DETAIL = /Key \(([^)]*)\)=\(([\s\S]*?)\)(?= already exists| is not present| is still referenced| conflicts with| is duplicated|\.?\s*$|\.\s|\n)/g;
const FAILING_ROW = /(Failing row contains \()([\s\S]*?)(\)(?:\.?\s*$|\.\s|\n))/g;
const RELATION = /relation "([^"]+)"/g;
/**
 * Messages that quote an input value: `invalid input syntax for type numeric: "x"`, `invalid input
 * value for enum e: "x"`, `value "x" is out of range for type integer`, `date/time field value out of
 * range: "x"`, `Token "x" is invalid.`, `value too long`... Hashed when the statement touches a secret.
 */
const QUOTED_VALUES = [
  /(for (?:type|enum) [^:\n]*: )"((?:[^"\\]|\\.)*)"/g,
  /(value )"((?:[^"\\]|\\.)*)"(?= is out of range)/g,
  /(out of range: )"((?:[^"\\]|\\.)*)"/g,
  /(Token )"((?:[^"\\]|\\.)*)"(?= is invalid)/g,
];
/** The context PostgreSQL gives a JSON error (its `where`): `JSON data, line 1: <the input up to the error>`. */
const JSON_CONTEXT = /(JSON data, line \d+: )(.*)/g;

export interface TextContext {
  /** The SQLite statement the text is about (its secret literals, and whether quoted values may be secret). */
  sql?: string;
  secrets?: SecretColumns;
  /** DATABASE_URL: its password is removed as well. */
  databaseUrl?: string | null;
  /** Values known to be secret for this text only (not remembered). */
  values?: Iterable<unknown>;
}

/** `text` with every secret the policy knows of replaced by its hash, and passwords masked. */
export function redactText(text: string, context: TextContext = {}): string {
  const secrets = context.secrets ?? defaultSecretColumns;
  let out = text;
  if (out.includes('Key (')) out = out.replace(KEY_DETAIL, (_whole, columns: string, values: string) => `Key (${columns})=(${keyValues(columns, values, secrets)})`);
  if (out.includes('Failing row contains') && mayHoldSecretRow(out, secrets)) {
    out = out.replace(FAILING_ROW, (_whole, open: string, values: string, close: string) => open + hashSecret(values) + close);
  }
  const info = context.sql !== undefined ? statementSecrets(context.sql, secrets) : undefined;
  if (info?.touches || (info && info.literals.length > 0)) {
    for (const pattern of QUOTED_VALUES) out = out.replace(pattern, (_w, lead: string, value: string) => `${lead}"${hashSecret(value)}"`);
    out = out.replace(JSON_CONTEXT, (_w, lead: string, value: string) => `${lead}${hashSecret(value)}`);
  }
  if (context.values) for (const value of context.values) knownSecretsFor(value, (form, hash) => (out = out.split(form).join(hash)));
  out = knownSecrets.redact(out);
  return redactSecrets(out, context.databaseUrl);
}

/** Calls `replace` with each text form of `value` (longest first). */
function knownSecretsFor(value: unknown, replace: (form: string, hash: string) => void): void {
  const hash = hashSecret(value);
  if (hash === null) return;
  const forms = typeof value === 'string' ? [value] : value instanceof Uint8Array ? [Buffer.from(value).toString('hex'), Buffer.from(value).toString('utf8')] : [];
  for (const form of forms.sort((a, b) => b.length - a.length)) if (form.length >= 3) replace(form, hash);
}

/** Hashes the values of secret columns in a key detail; the whole list when it cannot be split safely. */
function keyValues(columns: string, values: string, secrets: SecretColumns): string {
  const names = columns.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  const secret = names.map((name) => secrets.names.has(name.toLowerCase()) || !/^[a-z_][a-z0-9_]*$/i.test(name));
  if (!secret.some(Boolean)) return values;
  const parts = values.split(', ');
  if (parts.length !== names.length) return hashSecret(values) ?? '';
  return parts.map((part, i) => (secret[i] ? hashSecret(part) : part)).join(', ');
}

/** A failing row may hold secrets unless the message names only relations without secret columns. */
function mayHoldSecretRow(text: string, secrets: SecretColumns): boolean {
  const relations = [...text.matchAll(RELATION)].map((m) => m[1]!.toLowerCase().replace(/^.*\./, ''));
  return relations.length === 0 || relations.some((r) => secrets.tables.has(r));
}

/**
 * The error with its message, stack and cause (PostgreSQL's error: message, detail, hint, where)
 * redacted in place, so that whatever the caller prints or logs of it holds no secret. Returns it.
 */
export function redactError<E>(error: E, context: TextContext = {}): E {
  if (error === null || typeof error !== 'object') return error;
  const e = error as unknown as Record<string, unknown>;
  const seen = new Set<object>();
  const clean = (target: Record<string, unknown>, depth: number): void => {
    if (seen.has(target) || depth > 3) return;
    seen.add(target);
    for (const field of ['message', 'stack', 'detail', 'hint', 'where', 'internalQuery', 'query']) {
      const value = target[field];
      if (typeof value !== 'string') continue;
      const redacted = redactText(value, context);
      if (redacted !== value) {
        try {
          Object.defineProperty(target, field, { value: redacted, writable: true, enumerable: Object.prototype.propertyIsEnumerable.call(target, field), configurable: true });
        } catch {
          // A frozen object: nothing to do.
        }
      }
    }
    const cause = target.cause;
    if (cause !== null && typeof cause === 'object') clean(cause as Record<string, unknown>, depth + 1);
  };
  clean(e, 0);
  return error;
}

/** Remembers the secret parameters and literals of one execution of `sql` (written or compared with a secret column). */
export function learnStatement(sql: string, args: readonly unknown[], secrets: SecretColumns = defaultSecretColumns): StatementSecretInfo {
  const info = statementSecrets(sql, secrets);
  for (const literal of info.literals) knownSecrets.learn(literal.value);
  if (info.positional.size > 0 || info.named.size > 0) forEachSecretParam(args, info, (v) => knownSecrets.learn(v));
  return info;
}

/** Calls `visit` with every argument bound to a secret parameter (better-sqlite3's binding: arrays spread, one object holds the named ones). */
export function forEachSecretParam(args: readonly unknown[], info: Pick<StatementSecretInfo, 'positional' | 'named'>, visit: (value: unknown) => void, secrets: SecretColumns = defaultSecretColumns): void {
  let position = 0;
  const anonymous = (value: unknown): void => {
    if (info.positional.has(position++)) visit(value);
  };
  for (const arg of args) {
    if (Array.isArray(arg)) arg.forEach(anonymous);
    else if (isPlainObject(arg)) {
      for (const [name, value] of Object.entries(arg)) if (info.named.has(name) || secrets.names.has(name.toLowerCase())) visit(value);
    } else anonymous(arg);
  }
}

/** Whether result column `position` (named `name`) of a statement may hold a secret. */
export function isSecretResultColumn(info: StatementSecretInfo, position: number, name: string | undefined, tables: readonly string[] | undefined, secrets: SecretColumns = defaultSecretColumns): boolean {
  if (info.allResults) return true;
  if (info.resultFlags && position >= 0 && info.resultFlags[position]) return true;
  if (name !== undefined && secrets.isSecretName(name, tables)) return true;
  // A `*` over a table with secrets whose column names are not known: every column is suspect.
  return info.byName && name === undefined;
}

/**
 * Remembers the values of secret result columns in rows of any mode (objects, raw arrays, plucked
 * values, expand). `columnNames` by position, for raw and plucked rows.
 */
export function learnRows(info: StatementSecretInfo, rows: readonly unknown[], columnNames: readonly string[] | undefined, tables?: readonly string[], secrets: SecretColumns = defaultSecretColumns): void {
  if (!info.touches && !info.allResults) return;
  for (const row of rows) {
    forEachSecretValue(info, row, columnNames, tables, secrets, (v) => knownSecrets.learn(v));
  }
}

function forEachSecretValue(info: StatementSecretInfo, row: unknown, columnNames: readonly string[] | undefined, tables: readonly string[] | undefined, secrets: SecretColumns, visit: (v: unknown) => void): void {
  if (Array.isArray(row)) {
    row.forEach((value, i) => {
      if (isSecretResultColumn(info, i, columnNames?.[i], tables, secrets)) visit(value);
    });
  } else if (isPlainRow(row)) {
    for (const [name, value] of Object.entries(row)) {
      if (isPlainRow(value)) {
        for (const [column, inner] of Object.entries(value)) {
          if (name === '$' ? isSecretResultColumn(info, columnNames?.indexOf(column) ?? -1, column, tables, secrets) || info.touches : secrets.has(name, column)) visit(inner);
        }
      } else {
        const position = columnNames ? columnNames.indexOf(name) : Object.keys(row).indexOf(name);
        if (isSecretResultColumn(info, position, name, tables, secrets)) visit(value);
      }
    }
  } else if (isSecretResultColumn(info, 0, columnNames?.[0], tables, secrets)) visit(row);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isPlainRow(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** Any JSON-like value with every string passed through redactText (keys kept). */
export function redactTree<T>(value: T, context: TextContext = {}): T {
  if (typeof value === 'string') return redactText(value, context) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redactTree(v, context)) as unknown as T;
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactTree(v, context);
  return out as T;
}

/** SQL text with the string literals written into or compared with a secret column hashed, and known secrets replaced. */
export function redactStatementText(sql: string, context: Omit<TextContext, 'sql'> = {}): string {
  const info = statementSecrets(sql, context.secrets ?? defaultSecretColumns);
  let out = sql;
  if (info.literals.length > 0) {
    for (const literal of info.literals) knownSecrets.learn(literal.value);
    let rebuilt = '';
    let at = 0;
    for (const literal of [...info.literals].sort((a, b) => a.start - b.start)) {
      if (literal.start < at) continue;
      rebuilt += sql.slice(at, literal.start) + `'${hashSecret(literal.value)}'`;
      at = literal.end;
    }
    out = rebuilt + sql.slice(at);
  }
  return redactText(out, context);
}
