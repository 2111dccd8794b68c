/**
 * Parameter values as SQLite would have stored them, in the form `pg` sends (text or bytes).
 *
 * better-sqlite3 binds every JS number as a REAL, and a column's affinity then converts it: into
 * TEXT it becomes SQLite's REAL text (`2` → '2.0'; the engine's VM ids are stored that way, so a
 * lookup must bind them the same way or it silently misses). Per target type:
 * - text: numbers → SQLite's REAL text, bigints → their digits, strings unchanged; a Buffer is
 *   refused with SQLITE_MISMATCH (SQLite would keep a blob in the TEXT column).
 * - bigint/integer/smallint: integral numbers → their digits; a fraction is sent as written and
 *   PostgreSQL refuses it (SQLite would keep a REAL in the INTEGER column).
 * - boolean: 0 → false, any other number → true (SQLite would keep 2 as 2).
 * - jsonb/json, double precision, numeric: numbers and bigints as JSON/decimal text.
 * - bytea: Buffers unchanged; strings as their UTF-8 bytes (PostgreSQL would parse text as escapes).
 * - timestamptz/timestamp: strings with no zone are UTC, as in SQLite; a number is refused with a
 *   SQLITE_MISMATCH error (SQLite would store it, but its meaning, seconds or milliseconds, is a
 *   guess PostgreSQL cannot make).
 * - a whole condition (`WHERE ?`, `CASE WHEN ?`): the truth SQLite gives the value, as a boolean
 *   (a number against 0, text and blobs by their numeric prefix, NULL and NaN unknown).
 * - unknown target: numbers and bigints in JavaScript's own text.
 * Values PostgreSQL cannot hold as SQLite did (a NUL in text, 'infinity' for a timestamp, integers
 * beyond 64 bits) are refused first, with a SQLITE_MISMATCH error (values/unholdable.ts).
 * - any other known column type (integers, boolean, timestamps, reals, numeric, JSON): a Buffer
 *   is refused with a SQLITE_MISMATCH error naming the column. SQLite would keep the BLOB (or
 *   compare it as unequal to every number); `pg` would send the bytes in binary format, which
 *   PostgreSQL reads as a value of the column's type (8 bytes as a bigint, a double, a time) or
 *   rejects as a broken message.
 * NaN is stored as NULL by SQLite, so it is sent as NULL everywhere. The Date of a statement's
 * 'now' slot is sent as ISO-8601 text. Typed arrays other than Buffer are sent as their bytes.
 */
import type { PgColumnType } from '../../../schema/catalog';
import { CONDITION_OPERAND, INTEGER_OPERAND, INTEGER_VALUE, TEXT_NOT_NUMBER, TEXT_OPERAND, TEXT_VS_NUMBER, TIMESTAMP_TEXT_ISO, TIMESTAMP_TEXT_SQLITE, type ParamSlot } from '../../../translator/types';
import { sqliteError } from '../../../adapter/errors';
import { sqliteRealText } from './real-text';
import { timestampParamText } from './timestamps';
import { refuseUnholdable, type SlotFacts } from './unholdable';

/** What is handed to `pg` for one `$n`. */
export type PgParam = string | Buffer | null;

export type ParamCoercer = (value: unknown, slot?: SlotFacts) => PgParam;

/** Converts one bound value for a `$n` whose target is described by `slot`. */
export function coerceParam(value: unknown, slot: Pick<ParamSlot, 'targetType'> & SlotFacts): PgParam {
  return paramCoercer(slot.targetType)(value, slot);
}

/** The coercion for one target type without the refusals of values/unholdable.ts (the caller makes them). */
export function bareCoercer(targetType: PgColumnType | undefined): ParamCoercer {
  return coercerFor(targetType);
}

/** The coercion for one target type, chosen once per statement slot. */
export function paramCoercer(targetType: PgColumnType | undefined): ParamCoercer {
  const coerce = coercerFor(targetType);
  return (value, slot) => {
    refuseUnholdable(value, targetType, slot);
    return coerce(value, slot);
  };
}

function coercerFor(targetType: PgColumnType | undefined): ParamCoercer {
  switch (targetType) {
    case 'text':
      return toText;
    case 'bytea':
      return toBytea;
    case undefined:
      return toPlain;
    case CONDITION_OPERAND:
      return toCondition;
    case TEXT_OPERAND:
      return toTextOperand;
    case TEXT_VS_NUMBER:
      return toNumberOrAbove;
    case INTEGER_VALUE:
      return toIntegerValue;
    case TEXT_NOT_NUMBER:
      return toTextNotNumber;
    case TIMESTAMP_TEXT_SQLITE:
      return toSqliteTimestampText;
    case TIMESTAMP_TEXT_ISO:
      return toIsoTimestampText;
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
    case INTEGER_OPERAND:
      return toIntegerOperand;
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

function toText(value: unknown, slot?: Pick<ParamSlot, 'targetColumn'>): PgParam {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value !== value ? null : sqliteRealText(value);
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value)) {
    // SQLite keeps a blob in a TEXT column, and compares it with the column's blobs, not its
    // texts; a PostgreSQL text column holds text only, so neither can be reproduced exactly.
    const column = slot?.targetColumn ? `${slot.targetColumn.table}.${slot.targetColumn.column}` : 'a TEXT column';
    throw sqliteError(
      `datatype mismatch: a Buffer (a blob) bound for ${column} cannot be stored in or compared with that TEXT ` +
        `column on PostgreSQL; bind the text instead (buffer.toString('utf8')), or make the column a BLOB`,
      'SQLITE_MISMATCH',
    );
  }
  return common(value);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Text with no column: numbers as SQLite's REAL text, a blob as the text of its bytes (SQLite
 * reads a blob as text where text is wanted). Bytes that are not UTF-8, or a NUL, PostgreSQL's
 * text cannot hold: refused, never sent as bytes to a text parameter.
 */
function toTextOperand(value: unknown): PgParam {
  if (typeof value === 'number') return value !== value ? null : sqliteRealText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value;
  const bytes = common(value);
  if (!Buffer.isBuffer(bytes)) return bytes;
  let text: string | undefined;
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined || text.includes('\u0000')) {
    throw sqliteError(
      'datatype mismatch: a Buffer bound where SQLite reads it as text holds bytes that are not UTF-8 text (or a NUL), ' +
        "which PostgreSQL's text cannot hold; bind a string, or a Buffer of UTF-8 text",
      'SQLITE_MISMATCH',
    );
  }
  return text;
}

/**
 * A text compared with a numeric column (TEXT_VS_NUMBER): the number SQLite's affinity reads from it
 * ('10', ' 1.5 ', '1e3'), else 'Infinity', which sorts above every number as SQLite's text does.
 */
function toNumberOrAbove(value: unknown): PgParam {
  if (typeof value !== 'string') return toPlain(value);
  const m = NUMERIC_TEXT.exec(value);
  return m ? m[1]! : 'Infinity';
}

/** A text compared with a JSON or TIMESTAMP column (TEXT_NOT_NUMBER): NULL when numeric affinity reads it as a number. */
function toTextNotNumber(value: unknown): PgParam {
  if (typeof value !== 'string') return toPlain(value);
  return NUMERIC_TEXT.test(value) ? null : value;
}

const SQLITE_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?$/;
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/**
 * The time of a text in exactly the form a TIMESTAMP column's values print in (TIMESTAMP_TEXT_SQLITE:
 * `YYYY-MM-DD HH:MM:SS`, `.SSS` only when not 0; TIMESTAMP_TEXT_ISO: `YYYY-MM-DDTHH:MM:SS.sssZ`),
 * as UTC text for PostgreSQL; NULL for any other value.
 */
function canonicalTime(value: unknown, form: RegExp, fractionAlways: boolean): PgParam {
  if (typeof value !== 'string') return null;
  const m = form.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!fractionAlways && m[7] === '000') return null;
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !leapYear(year) ? 1 : 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return null;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}.${m[7] ?? '000'}Z`;
}

function leapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function toSqliteTimestampText(value: unknown): PgParam {
  return canonicalTime(value, SQLITE_TIMESTAMP, false);
}

function toIsoTimestampText(value: unknown): PgParam {
  return canonicalTime(value, ISO_TIMESTAMP, true);
}

/** SQLite's integer of a value (INTEGER_VALUE): reals truncated and clamped to 64 bits, text by its integer prefix. */
function toIntegerValue(value: unknown): PgParam {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (value !== value) return null;
    if (value >= 2 ** 63) return INT64_MAX.toString();
    if (value <= -(2 ** 63)) return INT64_MIN.toString();
    return BigInt(Math.trunc(value)).toString();
  }
  const bytes = typeof value === 'string' ? undefined : common(value);
  const text = typeof value === 'string' ? value : Buffer.isBuffer(bytes) ? bytes.toString('latin1') : String(value);
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!m) return '0';
  const v = BigInt(m[1]!);
  return (v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v).toString();
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

/** SQLite's reading of a text or a blob as a number: its longest numeric prefix after blanks (0 without one). */
const NUMERIC_PREFIX = /^[ \t\n\v\f\r]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/**
 * A parameter that is a whole condition, as SQLite tests it: a number against 0, a bigint too,
 * text and blobs by their numeric prefix ('12abc' is true, 'abc' and '0.0' false), NULL and NaN
 * (bound as NULL) unknown.
 */
function toCondition(value: unknown): PgParam {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value !== value ? null : value !== 0 ? 'true' : 'false';
  if (typeof value === 'bigint') return value !== 0n ? 'true' : 'false';
  const bytes = ArrayBuffer.isView(value) ? common(value) : undefined;
  const text = typeof value === 'string' ? value : Buffer.isBuffer(bytes) ? bytes.toString('latin1') : String(value);
  const prefix = NUMERIC_PREFIX.exec(text);
  return prefix && Number(prefix[0]) !== 0 ? 'true' : 'false';
}

function toBytea(value: unknown): PgParam {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'number') return value !== value ? null : Buffer.from(String(value), 'latin1');
  if (typeof value === 'bigint') return Buffer.from(value.toString(), 'latin1');
  return common(value);
}

function toTimestamp(value: unknown, slot?: SlotFacts): PgParam {
  if (typeof value === 'string') return timestampParamText(value);
  if (value !== value) return null; // NaN binds as NULL
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

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** SQLite's text-to-number conversion: optional blanks around a decimal number (no hex). */
export const NUMERIC_TEXT = /^[ \t\n\v\f\r]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)[ \t\n\v\f\r]*$/;
const INTEGER_TEXT = /^[+-]?\d+$/;

function mismatch(): never {
  throw sqliteError('datatype mismatch', 'SQLITE_MISMATCH');
}

/** The integer SQLite reads from a real, or undefined when it is not a 64-bit integer. */
function integralReal(value: number): bigint | undefined {
  if (!Number.isInteger(value)) return undefined;
  const v = BigInt(value);
  return v >= INT64_MIN && v <= INT64_MAX ? v : undefined;
}

/**
 * A LIMIT or OFFSET value: SQLite converts it with numeric affinity and refuses with
 * SQLITE_MISMATCH ("datatype mismatch") anything that is not then a 64-bit integer: NULL (and NaN,
 * which binds as NULL), a fraction, an infinity, text that is not a number ('abc', '0x2'), a blob.
 * '2', ' 2 ', '2.0' and '1e1' are integers; so are 2.0 and any bigint.
 */
function toIntegerOperand(value: unknown): PgParam {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    const v = integralReal(value);
    return v === undefined ? mismatch() : v.toString();
  }
  if (typeof value === 'string') {
    const m = NUMERIC_TEXT.exec(value);
    if (!m) return mismatch();
    if (INTEGER_TEXT.test(m[1]!)) {
      const v = BigInt(m[1]!);
      if (v >= INT64_MIN && v <= INT64_MAX) return v.toString();
    }
    const v = integralReal(Number(m[1]));
    return v === undefined ? mismatch() : v.toString();
  }
  return mismatch();
}

/**
 * A parameter that is a whole result column (ParamSlot.echo), tagged with what SQLite would hold:
 * `r` a REAL (better-sqlite3 binds every JS number as one; NaN is NULL), `i` an INTEGER (a
 * bigint), `t` TEXT, `b` a BLOB in hex. The row shaper (echoValue) turns it back.
 */
export function echoParam(value: unknown): PgParam {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value !== value ? null : `r${value}`;
  if (typeof value === 'bigint') return `i${value}`;
  if (typeof value === 'string') return `t${value}`;
  const bytes = common(value);
  return Buffer.isBuffer(bytes) ? `b${bytes.toString('hex')}` : bytes === null ? null : `t${bytes}`;
}

/** The value of an echoed parameter as better-sqlite3 returns it from SQLite. */
export function echoValue(text: string, safeIntegers: boolean): unknown {
  const rest = text.slice(1);
  switch (text.charCodeAt(0)) {
    case 114 /* r */:
      return Number(rest);
    case 105 /* i */:
      return safeIntegers ? BigInt(rest) : Number(rest);
    case 98 /* b */:
      return Buffer.from(rest, 'hex');
    default:
      return rest;
  }
}
