/**
 * A value bound and stored into a column (INSERT values, `SET x = ?`: ParamSlot.store), as SQLite's
 * column affinity stores it (https://sqlite.org/datatype3.html):
 * - INTEGER: text that reads as an integer (' 12 ', '1e3', '2.0') is that integer; a real that is
 *   integral within 64 bits too. REAL: numeric text is its number. NUMERIC: numeric text is its
 *   number. Those conversions are made here, exactly, before PostgreSQL reads the value.
 * - What the affinity leaves in another storage class is refused with SQLITE_MISMATCH naming the
 *   column, because PostgreSQL's column cannot hold it: text that is not a number in an INTEGER,
 *   REAL or NUMERIC column, a fraction in an INTEGER column, a number other than 0/1 in a BOOLEAN
 *   column, a number (or numeric text, which NUMERIC affinity makes a number) or text that is not
 *   JSON in a JSON column, a number or text that is no time in a TIMESTAMP column, text or a
 *   number in a BLOB column, a number in a column declared without a type. SQLite would store it as it came; `backfill` finds such values in an
 *   existing SQLite file.
 * A Buffer into any column but BLOB is refused by the column's own coercion (values/params.ts).
 * The value's text is never quoted in the message (a stored value may be a secret).
 */
import type { PgColumnType } from '../../../schema/catalog';
import { NO_AFFINITY_TYPE } from '../../../schema/type-mapping';
import { sqliteError } from '../../../adapter/errors';
import { bareCoercer, NUMERIC_TEXT, paramCoercer, type ParamCoercer } from './params';
import { refuseUnholdable, type SlotFacts } from './unholdable';

type Affinity = (value: unknown, slot: SlotFacts | undefined) => unknown;

/** The coercion of a value stored into a column of `targetType`. */
export function storeCoercer(targetType: PgColumnType | undefined): ParamCoercer {
  const affinity = affinityOf(targetType);
  if (!affinity) return paramCoercer(targetType);
  // A column declared without a type is text on PostgreSQL: its values are sent as a TEXT column's.
  const pgType = targetType === NO_AFFINITY_TYPE ? 'text' : targetType;
  const bare = bareCoercer(pgType);
  return (value, slot) => {
    // What PostgreSQL cannot hold at all (a NUL, 'infinity' for a time, 2^63) is refused as such first.
    refuseUnholdable(value, pgType, slot);
    return bare(affinity(value, slot), slot);
  };
}

function affinityOf(targetType: PgColumnType | undefined): Affinity | undefined {
  switch (targetType) {
    case 'bigint':
    case 'integer':
    case 'smallint':
      return toIntegerColumn;
    case 'double precision':
    case 'real':
      return toRealColumn;
    case 'numeric':
      return toNumericColumn;
    case 'boolean':
      return toBooleanColumn;
    case 'jsonb':
    case 'json':
      return toJsonColumn;
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return toTimestampColumn;
    case 'bytea':
      return toBlobColumn;
    case NO_AFFINITY_TYPE:
      return toUntypedColumn;
    default:
      return undefined;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The number SQLite's affinity reads from a text: a bigint for an integer within 64 bits, else a number; undefined when none. */
function numberOfText(text: string): bigint | number | undefined {
  const m = NUMERIC_TEXT.exec(text);
  if (!m) return undefined;
  const literal = m[1]!;
  if (/^[+-]?\d+$/.test(literal)) {
    const v = BigInt(literal);
    if (v >= INT64_MIN && v <= INT64_MAX) return v;
  }
  return Number(literal);
}

/** A real SQLite keeps as an INTEGER under INTEGER or NUMERIC affinity: integral and within 64 bits. */
function integralReal(n: number): bigint | undefined {
  if (!Number.isInteger(n)) return undefined;
  const v = BigInt(n);
  return v >= INT64_MIN && v <= INT64_MAX ? v : undefined;
}

function toIntegerColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  if (typeof value === 'string') {
    const n = numberOfText(value);
    if (n === undefined) return refuse(value, 'TEXT', 'INTEGER', slot, 'bind an integer, or text that reads as one');
    if (typeof n === 'bigint') return n;
    return integralReal(n) ?? refuse(value, 'a REAL', 'INTEGER', slot, 'bind an integer, or keep fractions in a REAL column');
  }
  // (An integral number beyond 64 bits is refused as such by values/unholdable.ts.)
  if (typeof value === 'number' && value === value && !Number.isInteger(value)) {
    return refuse(value, 'a REAL', 'INTEGER', slot, 'bind an integer (Math.round(x)), or keep fractions in a REAL column');
  }
  return value;
}

function toRealColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  if (typeof value !== 'string') return value;
  const n = numberOfText(value);
  return n === undefined ? refuse(value, 'TEXT', 'REAL', slot, 'bind a number, or text that reads as one') : Number(n);
}

function toNumericColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  if (typeof value !== 'string') return value;
  const n = numberOfText(value);
  if (n === undefined) return refuse(value, 'TEXT', 'NUMERIC', slot, 'bind a number, or text that reads as one');
  return typeof n === 'bigint' ? n : integralReal(n) ?? n;
}

function toBooleanColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  const fix = 'bind 0 or 1 (Number(flag)), or NULL';
  if (typeof value === 'string') {
    const n = numberOfText(value);
    if (n === undefined) return refuse(value, 'TEXT', 'BOOLEAN', slot, fix);
    return Number(n) === 0 || Number(n) === 1 ? Number(n) : refuse(value, typeof n === 'bigint' || Number.isInteger(n) ? 'an INTEGER' : 'a REAL', 'BOOLEAN', slot, fix);
  }
  if (typeof value === 'number' && value === value && value !== 0 && value !== 1) return refuse(value, Number.isInteger(value) ? 'an INTEGER' : 'a REAL', 'BOOLEAN', slot, fix);
  if (typeof value === 'bigint' && value !== 0n && value !== 1n) return refuse(value, 'an INTEGER', 'BOOLEAN', slot, fix);
  return value;
}

function toJsonColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  const fix = 'bind JSON text (JSON.stringify(value)) that is not a bare number, e.g. an array or object';
  if ((typeof value === 'number' && value === value) || typeof value === 'bigint') return refuse(value, 'a number', 'JSON', slot, fix);
  if (typeof value !== 'string') return value;
  // JSON's declared type has NUMERIC affinity in SQLite: numeric text is stored as a number.
  if (numberOfText(value) !== undefined) return refuse(value, 'a number', 'JSON', slot, fix);
  // Text that cannot begin any JSON but a number is refused here; malformed JSON that begins like
  // JSON ('[1,') is left to PostgreSQL's own check (SQLITE_MISMATCH, invalid input syntax for type
  // json): parsing every stored document here would cost as much again as PostgreSQL's parse.
  return JSON_START.test(value) ? value : refuse(value, 'TEXT that is not JSON', 'JSON', slot, fix);
}

/** The beginning of any JSON text that is not a number: an object, array or string, or true/false/null alone. */
const JSON_START = /^[ \t\n\r]*(?:[{["]|(?:true|false|null)[ \t\n\r]*$)/;

/** YYYY-MM-DD, then optionally (spaces or T) HH:MM[:SS[.SSS]] and a zone (Z, ±HH:MM): text both read as a time. */
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}(?:(?:[ \t]+|T)\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[ \t]*(?:[Zz]|[+-]\d{2}:\d{2})?)?[ \t]*$/;

function toTimestampColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  const fix = 'bind the time as text, e.g. new Date(ms).toISOString(), or NULL';
  if ((typeof value === 'number' && value === value) || typeof value === 'bigint') return refuse(value, 'a number', 'TIMESTAMP', slot, fix);
  if (typeof value !== 'string') return value;
  if (numberOfText(value) !== undefined) return refuse(value, 'a number', 'TIMESTAMP', slot, fix);
  return TIME_TEXT.test(value) ? value : refuse(value, 'TEXT that is no time', 'TIMESTAMP', slot, fix);
}

function toBlobColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  const fix = "bind a Buffer (Buffer.from(text, 'utf8')), or keep text in a TEXT column";
  if (typeof value === 'string') return refuse(value, 'TEXT', 'BLOB', slot, fix);
  if ((typeof value === 'number' && value === value) || typeof value === 'bigint') return refuse(value, typeof value === 'bigint' || Number.isInteger(value) ? 'an INTEGER' : 'a REAL', 'BLOB', slot, fix);
  return value;
}

/**
 * A column declared without a type has no affinity: SQLite keeps a number as a number there, and
 * PostgreSQL's column (text, `character varying`) cannot hold one as a number.
 */
function toUntypedColumn(value: unknown, slot: SlotFacts | undefined): unknown {
  const fix = "bind text (String(x)), or declare the column's type (INTEGER, REAL) so that PostgreSQL holds numbers";
  if (typeof value === 'bigint') return refuse(value, 'an INTEGER', 'untyped', slot, fix, 'a column declared without a type converts nothing');
  if (typeof value === 'number' && value === value) return refuse(value, 'a REAL', 'untyped', slot, fix, 'a column declared without a type converts nothing');
  return value;
}

function refuse(value: unknown, kept: string, declared: string, slot: SlotFacts | undefined, fix: string, why = `the ${declared} column's affinity does not convert it`): never {
  const column = slot?.targetColumn ? `${slot.targetColumn.table}.${slot.targetColumn.column}` : 'a column';
  const what = typeof value === 'number' ? `the number ${value}` : typeof value === 'bigint' ? `the integer ${value}` : 'a text';
  throw sqliteError(
    `datatype mismatch: ${what} stored into ${column} would be kept by SQLite as ${kept} (${why}), ` +
      `which the PostgreSQL column cannot hold; ${fix}`,
    'SQLITE_MISMATCH',
  );
}
