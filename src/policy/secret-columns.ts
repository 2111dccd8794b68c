/**
 * The columns whose values must never be written in clear outside the databases, and
 * the hash that takes their place: `sha256:` and the first 16 hex digits of the value's SHA-256,
 * so two records of the same secret can still be matched without revealing it.
 */
import { createHash } from 'node:crypto';

/** `table.column`, lower case. */
export const DEFAULT_SECRET_COLUMNS: readonly string[] = ['secrets.encrypted_value', 'triggers.webhook_secret'];

export const SECRET_HASH_PREFIX = 'sha256:';
const HASHED = /^sha256:[0-9a-f]{16}$/;

export class SecretColumns {
  /** `table.column` of each secret column. */
  readonly qualified: ReadonlySet<string>;
  /** Bare column names, for result columns and parameters whose table is not known. */
  readonly names: ReadonlySet<string>;
  /** Tables that have at least one secret column. */
  readonly tables: ReadonlySet<string>;

  constructor(columns: Iterable<string> = DEFAULT_SECRET_COLUMNS) {
    const qualified = new Set<string>();
    for (const column of columns) {
      const name = column.trim().toLowerCase();
      if (!/^[^.\s]+\.[^.\s]+$/.test(name)) {
        throw new TypeError(`Secret column ${JSON.stringify(column)} is not valid: write it as table.column (for example "triggers.webhook_secret").`);
      }
      qualified.add(name);
    }
    this.qualified = qualified;
    this.names = new Set([...qualified].map((c) => c.slice(c.indexOf('.') + 1)));
    this.tables = new Set([...qualified].map((c) => c.slice(0, c.indexOf('.'))));
  }

  has(table: string, column: string): boolean {
    return this.qualified.has(`${table.toLowerCase()}.${column.toLowerCase()}`);
  }

  /** A result or parameter column named `column` in a statement over `tables` (unknown: any table) may hold a secret. */
  isSecretName(column: string, tables?: readonly string[]): boolean {
    const name = column.toLowerCase();
    if (!this.names.has(name)) return false;
    if (tables === undefined || tables.length === 0) return true;
    return tables.some((table) => this.has(table, name));
  }
}

/** The registry's secret columns. */
export const defaultSecretColumns = new SecretColumns();

/** The default secret columns and `more` (`table.column` each). */
export function extendSecretColumns(more: Iterable<string>, base: SecretColumns = defaultSecretColumns): SecretColumns {
  return new SecretColumns([...base.qualified, ...more]);
}

/** The hash that replaces a secret value (null stays null: it reveals nothing). Idempotent. */
export function hashSecret(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && HASHED.test(value)) return value;
  const bytes = value instanceof Uint8Array ? value : Buffer.from(typeof value === 'string' ? value : String(value), 'utf8');
  return SECRET_HASH_PREFIX + createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The texts under which a secret value could appear in a message (strings, and Buffers as text and hex). */
export function secretTexts(value: unknown): string[] {
  if (typeof value === 'string') return value === '' || HASHED.test(value) ? [] : [value];
  if (value instanceof Uint8Array) {
    const buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return buffer.length === 0 ? [] : [buffer.toString('hex'), `\\x${buffer.toString('hex')}`, buffer.toString('utf8')];
  }
  if (typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  return [];
}
