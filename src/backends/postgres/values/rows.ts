/**
 * Results shaped as better-sqlite3 returns them from SQLite (docs/api.md, Differences from SQLite). `pg` hands over raw text
 * (see `rawTextTypes`), and a RowShaper, built once per statement from its RowDescription, turns
 * each row into what SQLite would have given: JSON as text, booleans as 1/0, integers as numbers
 * (BigInt under `safeIntegers`), BYTEA as Buffer, timestamps as the text the column held.
 * JSONB text is minified as SQLite holds JSON written by JSON.stringify; key order, number forms
 * and duplicate keys are jsonb's.
 */
import type { RowShape } from '../../../contracts';
import type { CustomTypesConfig } from 'pg';
import type { SchemaCatalog, TableInfo, TimestampFormat } from '../../../schema/catalog';
import { pinnedOptions } from '../core/session-settings';
import { echoValue } from './params';
import { formatTimestamp } from './timestamps';

export { coerceParam, paramCoercer, type PgParam, type ParamCoercer } from './params';
export { sqliteRealText } from './real-text';

/** Session settings the shaping relies on, as a `pg` `options` string (libpq `-c` flags). */
export const SESSION_OPTIONS = pinnedOptions();

const identity = (value: string): string => value;

/** `pg`'s `types`: every column comes back as PostgreSQL's text, shaped afterwards by RowShaper. */
export const rawTextTypes: CustomTypesConfig = {
  getTypeParser: (() => identity) as unknown as CustomTypesConfig['getTypeParser'],
};

/** The parts of `pg`'s FieldDef the shaper reads. */
export interface ResultField {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
}

/** A row as `pg` returns it with `rowMode: 'array'` and `rawTextTypes`. */
export type RawRow = Array<string | null>;

export interface ShapeOptions {
  mode: RowShape;
  safeIntegers: boolean;
  /** SQLite's column names by position, when they differ from PostgreSQL's (Translation.columnNames). */
  columnNames?: readonly string[];
}

const TEXT = 0;
const BOOL = 1;
const INT = 2;
const NUMERIC = 3;
const FLOAT = 4;
const BYTEA = 5;
const TIMESTAMPTZ_SQLITE = 6;
const TIMESTAMPTZ_ISO = 7;
const TIMESTAMP_SQLITE = 8;
const TIMESTAMP_ISO = 9;
const JSON_SCALAR = 10;
const ECHO = 11;
const JSON_TEXT = 12;

const KIND_BY_OID = new Map<number, number>([
  [16, BOOL], [17, BYTEA], [20, INT], [21, INT], [23, INT], [26, INT],
  [700, FLOAT], [701, FLOAT], [1700, NUMERIC], [1114, TIMESTAMP_SQLITE], [1184, TIMESTAMPTZ_SQLITE],
  [114, JSON_TEXT], [3802, JSON_TEXT],
]);

/** Expressions (no source table) are grouped under this key in `expand` mode, as better-sqlite3 does. */
const EXPRESSION_TABLE = '$';

export class RowShaper {
  readonly columnNames: readonly string[];
  private readonly kinds: Uint8Array;
  private readonly tableNames: readonly string[];

  /**
   * `jsonScalarColumns`: positions holding a json_extract()/->> value as jsonb
   * (Translation.jsonScalarColumns), returned as SQLite returns that value.
   */
  constructor(fields: readonly ResultField[], catalog?: SchemaCatalog, columnNames?: readonly string[], jsonScalarColumns?: readonly number[], echoColumns?: readonly number[]) {
    const byOid = catalog ? tablesByOid(catalog) : undefined;
    this.columnNames = fields.map((f, i) => columnNames?.[i] ?? f.name);
    this.kinds = new Uint8Array(fields.length);
    this.tableNames = fields.map((f, i) => {
      const table = f.tableID ? byOid?.get(f.tableID) : undefined;
      this.kinds[i] = jsonScalarColumns?.includes(i) && (f.dataTypeID === JSONB_OID || f.dataTypeID === JSON_OID) ? JSON_SCALAR : echoColumns?.includes(i) ? ECHO : kindOf(f, table);
      return table ? table.name : EXPRESSION_TABLE;
    });
  }

  /** One column value (text from PostgreSQL or null) as SQLite would return it. */
  value(index: number, text: string | null, safeIntegers: boolean): unknown {
    return text === null ? null : convert(this.kinds[index]!, text, safeIntegers);
  }

  /** One row in the statement's mode. `raw` reuses the array it is given. */
  row(raw: RawRow, mode: RowShape, safeIntegers: boolean): unknown {
    const kinds = this.kinds;
    switch (mode) {
      case 'pluck': {
        const text = raw[0];
        return text === null || text === undefined ? null : convert(kinds[0]!, text, safeIntegers);
      }
      case 'raw': {
        const out = raw as unknown[];
        for (let i = 0; i < kinds.length; i++) {
          const text = raw[i]!;
          if (text !== null) out[i] = convert(kinds[i]!, text, safeIntegers);
        }
        return out;
      }
      case 'expand':
        return this.expanded(raw, safeIntegers);
      default: {
        const names = this.columnNames;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < kinds.length; i++) {
          const text = raw[i]!;
          out[names[i]!] = text === null ? null : convert(kinds[i]!, text, safeIntegers);
        }
        return out;
      }
    }
  }

  /** Every row, in place: the returned array is `rows`, each element replaced by its shape. */
  rows(rows: RawRow[], mode: RowShape, safeIntegers: boolean): unknown[] {
    const out = rows as unknown[];
    for (let i = 0; i < rows.length; i++) out[i] = this.row(rows[i]!, mode, safeIntegers);
    return out;
  }

  private expanded(raw: RawRow, safeIntegers: boolean): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < this.kinds.length; i++) {
      const table = this.tableNames[i]!;
      const nested = Object.prototype.hasOwnProperty.call(out, table) ? out[table]! : (out[table] = {});
      const text = raw[i]!;
      nested[this.columnNames[i]!] = text === null ? null : convert(this.kinds[i]!, text, safeIntegers);
    }
    return out;
  }
}

/** Shapes a whole result at once (builds a RowShaper; keep one per statement on hot paths). */
export function shapeRows(
  fields: readonly ResultField[],
  rows: RawRow[],
  catalog: SchemaCatalog | undefined,
  options: ShapeOptions,
): unknown[] {
  return new RowShaper(fields, catalog, options.columnNames).rows(rows, options.mode, options.safeIntegers);
}

function convert(kind: number, text: string, safeIntegers: boolean): unknown {
  switch (kind) {
    case TEXT:
      return text;
    case BOOL:
      return text === 't' ? (safeIntegers ? 1n : 1) : safeIntegers ? 0n : 0;
    case INT:
      return safeIntegers ? BigInt(text) : +text;
    case NUMERIC:
      return safeIntegers && isIntegral(text) ? BigInt(text) : +text;
    case FLOAT:
      return +text;
    case BYTEA:
      return byteaBuffer(text);
    case TIMESTAMPTZ_SQLITE:
      return formatTimestamp(text, 'sqlite', true);
    case TIMESTAMPTZ_ISO:
      return formatTimestamp(text, 'iso', true);
    case TIMESTAMP_SQLITE:
      return formatTimestamp(text, 'sqlite', false);
    case TIMESTAMP_ISO:
      return formatTimestamp(text, 'iso', false);
    case JSON_SCALAR:
      return jsonScalar(text, safeIntegers);
    case ECHO:
      return echoValue(text, safeIntegers);
    case JSON_TEXT:
      return minifiedJson(text);
    default:
      return text;
  }
}

const JSONB_OID = 3802;
const JSON_OID = 114;

/**
 * A JSON value as SQLite's json_extract() returns it: a string as its text, a number as a number,
 * true/false as 1/0, null as NULL, an object or array as minified JSON text.
 */
export function jsonScalar(text: string, safeIntegers = false): unknown {
  const c = text.charCodeAt(0);
  if (c === 34 /* " */) return JSON.parse(text) as string;
  if (c === 123 /* { */ || c === 91 /* [ */) return JSON.stringify(JSON.parse(text));
  if (text === 'true') return safeIntegers ? 1n : 1;
  if (text === 'false') return safeIntegers ? 0n : 0;
  if (text === 'null') return null;
  return safeIntegers && isIntegral(text) ? BigInt(text) : +text;
}

/**
 * JSON text as SQLite holds it when it was written minified (JSON.stringify, SQLite's json
 * functions): PostgreSQL's text without the spaces it puts after `,` and `:` outside strings.
 * Strings are copied whole, escapes included; key order and number forms stay jsonb's.
 */
export function minifiedJson(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

function kindOf(field: ResultField, table: TableInfo | undefined): number {
  const kind = KIND_BY_OID.get(field.dataTypeID) ?? TEXT;
  if (kind !== TIMESTAMPTZ_SQLITE && kind !== TIMESTAMP_SQLITE) return kind;
  const format: TimestampFormat | undefined = table?.columns.find((c) => c.position === field.columnID)?.timestampFormat;
  if (format !== 'iso') return kind;
  return kind === TIMESTAMPTZ_SQLITE ? TIMESTAMPTZ_ISO : TIMESTAMP_ISO;
}

function isIntegral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 48 || c > 57) && !(i === 0 && c === 45)) return false;
  }
  return text.length > 0;
}

/** BYTEA text output: hex (`\x0102`, the default) or the old escape format. */
function byteaBuffer(text: string): Buffer {
  if (text.charCodeAt(0) === 92 && text.charCodeAt(1) === 120) return Buffer.from(text.slice(2), 'hex');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') bytes.push(text.charCodeAt(i));
    else if (text[i + 1] === '\\') bytes.push(92), i++;
    else bytes.push(parseInt(text.slice(i + 1, i + 4), 8)), (i += 3);
  }
  return Buffer.from(bytes);
}

function tablesByOid(catalog: SchemaCatalog): Map<number, TableInfo> {
  const map = new Map<number, TableInfo>();
  for (const table of catalog.tables.values()) map.set(table.oid, table);
  return map;
}
