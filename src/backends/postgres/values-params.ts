/**
 * Parameter values as SQLite would have stored them, in the form `pg` sends (text or bytes).
 *
 * better-sqlite3 binds every JS number as a REAL, and a column's affinity then converts it: into
 * TEXT it becomes SQLite's REAL text (`2` → '2.0'; the engine's VM ids are stored that way, so a
 * lookup must bind them the same way or it silently misses). Per target type:
 * - text: numbers → SQLite's REAL text, bigints → their digits, strings unchanged.
 * - bigint/integer/smallint: integral numbers → their digits; a fraction is sent as written and
 *   PostgreSQL refuses it (SQLite would keep a REAL in the INTEGER column).
 * - boolean: 0 → false, any other number → true (SQLite would keep 2 as 2).
 * - jsonb/json, double precision, numeric: numbers and bigints as JSON/decimal text.
 * - bytea: Buffers unchanged; strings as their UTF-8 bytes (PostgreSQL would parse text as escapes).
 * - timestamptz/timestamp: strings with no zone are UTC, as in SQLite; a number is refused with a
 *   SQLITE_MISMATCH error (SQLite would store it, but its meaning, seconds or milliseconds, is a
 *   guess PostgreSQL cannot make).
 * - unknown target: numbers and bigints in JavaScript's own text.
 * - any other known column type (integers, boolean, timestamps, reals, numeric, JSON): a Buffer
 *   is refused with a SQLITE_MISMATCH error naming the column. SQLite would keep the BLOB (or
 *   compare it as unequal to every number); `pg` would send the bytes in binary format, which
 *   PostgreSQL reads as a value of the column's type (8 bytes as a bigint, a double, a time) or
 *   rejects as a broken message.
 * NaN is stored as NULL by SQLite, so it is sent as NULL everywhere. The Date of a statement's
 * 'now' slot is sent as ISO-8601 text. Typed arrays other than Buffer are sent as their bytes.
 */
import type { PgColumnType } from '../../schema/catalog';
import type { ParamSlot } from '../../translator/types';
import { sqliteError } from '../../adapter/errors';
import { sqliteRealText } from './values-real-text';
import { timestampParamText } from './values-timestamps';

/** What is handed to `pg` for one `$n`. */
export type PgParam = string | Buffer | null;

export type ParamCoercer = (value: unknown, slot?: Pick<ParamSlot, 'targetColumn'>) => PgParam;

/** Converts one bound value for a `$n` whose target is described by `slot`. */
export function coerceParam(value: unknown, slot: Pick<ParamSlot, 'targetType' | 'targetColumn'>): PgParam {
  return paramCoercer(slot.targetType)(value, slot);
}

/** The coercion for one target type, chosen once per statement slot. */
export function paramCoercer(targetType: PgColumnType | undefined): ParamCoercer {
  switch (targetType) {
    case 'text':
      return toText;
    case 'bytea':
      return toBytea;
    case undefined:
      return toPlain;
  }
  const typed = typedCoercer(targetType);
  return (value, slot) => (ArrayBuffer.isView(value) ? bytesRefused(targetType, slot) : typed(value, slot));
}

function typedCoercer(targetType: PgColumnType): ParamCoercer {
  switch (targetType) {
    case 'bigint':
    case 'integer':
    case 'smallint':
      return toInteger;
    case 'boolean':
      return toBoolean;
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return toTimestamp;
    default:
      return toPlain;
  }
}

function bytesRefused(targetType: PgColumnType, slot: Pick<ParamSlot, 'targetColumn'> | undefined): never {
  const column = slot?.targetColumn ? `${slot.targetColumn.table}.${slot.targetColumn.column}` : 'a column';
  throw sqliteError(
    `datatype mismatch: a Buffer cannot be bound for ${column} on PostgreSQL, where the column is ${targetType}; ` +
      'bind a value of the column\'s type, or keep bytes in a BLOB column',
    'SQLITE_MISMATCH',
  );
}

/** null/undefined, the 'now' Date, Buffers and typed arrays: the same for every target. */
function common(value: unknown): PgParam {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return String(value); // not reached after binding's checks
}

function toText(value: unknown): PgParam {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value !== value ? null : sqliteRealText(value);
  if (typeof value === 'bigint') return value.toString();
  return common(value);
}

function toInteger(value: unknown): PgParam {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (value !== value) return null;
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  return common(value);
}

function toBoolean(value: unknown): PgParam {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value !== value ? null : value !== 0 ? 'true' : 'false';
  if (typeof value === 'bigint') return value !== 0n ? 'true' : 'false';
  return common(value);
}

function toBytea(value: unknown): PgParam {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'number') return value !== value ? null : Buffer.from(String(value), 'latin1');
  if (typeof value === 'bigint') return Buffer.from(value.toString(), 'latin1');
  return common(value);
}

function toTimestamp(value: unknown, slot?: Pick<ParamSlot, 'targetColumn'>): PgParam {
  if (typeof value === 'string') return timestampParamText(value);
  if ((typeof value === 'number' && value === value) || typeof value === 'bigint') {
    const column = slot?.targetColumn ? `${slot.targetColumn.table}.${slot.targetColumn.column}` : 'a timestamp column';
    throw sqliteError(
      `datatype mismatch: the number ${String(value)} cannot be stored in ${column} on PostgreSQL ` +
        `(TIMESTAMPTZ); bind the time as text instead, e.g. new Date(ms).toISOString()`,
      'SQLITE_MISMATCH',
    );
  }
  return common(value);
}

function toPlain(value: unknown): PgParam {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value !== value ? null : String(value);
  if (typeof value === 'bigint') return value.toString();
  return common(value);
}
