/**
 * Values SQLite stores that PostgreSQL cannot hold as the same value, refused when they are bound
 * (in postgres mode, and in shadow mode before the primary runs), so the two databases never come
 * to differ by them and verify never meets them later:
 * - text with a NUL character (U+0000): PostgreSQL's text cannot hold it (bytea can);
 * - 'infinity' / '-infinity' for a timestamp: PostgreSQL keeps an infinite time, SQLite the word,
 *   which none of its date functions read;
 * - a number beyond the 64-bit integer range for an INTEGER column: SQLite keeps it as a REAL,
 *   PostgreSQL's bigint cannot hold it.
 * Each is a SqliteError with code SQLITE_MISMATCH (the code PostgreSQL's own data errors map to),
 * naming the parameter, its column and what to bind instead.
 */
import type { PgColumnType } from '../../../schema/catalog';
import type { ParamSlot } from '../../../translator/types';
import { sqliteError } from '../../../adapter/errors';

export type SlotFacts = Partial<Pick<ParamSlot, 'source' | 'targetColumn'>>;

const INFINITY = /^\s*[+-]?infinity\s*$/i;
const INT64_LIMIT = 2 ** 63;

/** Throws the refusal when PostgreSQL cannot hold `value` bound for `targetType` as SQLite would. */
export function refuseUnholdable(value: unknown, targetType: PgColumnType | undefined, slot: SlotFacts | undefined): void {
  if (typeof value === 'string') {
    if (targetType !== 'bytea' && value.includes('\0')) {
      throw refusal(slot, `holds text with a NUL character (U+0000) at position ${value.indexOf('\0')}, which PostgreSQL text cannot store`, 'remove the NUL (or store the value as a Buffer in a BLOB column)');
    }
    if ((targetType === 'timestamp with time zone' || targetType === 'timestamp without time zone') && INFINITY.test(value)) {
      throw refusal(slot, `holds the timestamp word '${value.trim()}', which PostgreSQL would store as an infinite time that SQLite's date functions cannot read`, 'bind a real time, or NULL for "never"');
    }
  } else if (typeof value === 'number' && (targetType === 'bigint' || targetType === 'integer' || targetType === 'smallint') && Math.abs(value) >= INT64_LIMIT) {
    throw refusal(slot, `holds ${value}, beyond the 64-bit integer range of PostgreSQL's bigint (SQLite would keep it as a REAL)`, 'bind a value between -2^63 and 2^63-1');
  }
}

function refusal(slot: SlotFacts | undefined, what: string, fix: string): Error {
  const source = slot?.source;
  const parameter = source?.kind === 'positional' ? `parameter ${source.index + 1}` : source?.kind === 'named' ? `parameter "${source.name}"` : 'a parameter';
  const column = slot?.targetColumn ? ` (for ${slot.targetColumn.table}.${slot.targetColumn.column})` : '';
  return sqliteError(`datatype mismatch: ${parameter}${column} ${what}: ${fix}.`, 'SQLITE_MISMATCH');
}
