/**
 * `<schema>._sqlite_store_integer / _real / _text / _untyped / ...(value, 'table.column')`: an expression stored
 * into a column (INSERT values, `SET x = expr`) as SQLite's column affinity stores it, or, where
 * SQLite would keep a storage class the PostgreSQL column cannot hold (a fraction in an INTEGER
 * column, a blob in a TEXT column, a number in a column declared without a type), an error with
 * SQLSTATE 22SR0 that names the column (SQLITE_MISMATCH, core/errors.ts). PostgreSQL alone would
 * round the real into the bigint, or write a blob's hex or 'true' as text. One overload per
 * PostgreSQL type of the value; a NULL is stored as NULL. Created with the schema's other objects
 * when the backend opens (rules/stored-class.ts writes the calls). STABLE, not IMMUTABLE: a call on
 * constants must not be folded when the statement is planned, where no row may be written at all.
 */
import { realTextFunction } from './real-text-function';

export const STORE_MISMATCH_STATE = '22SR0';
export const STORE_INTEGER_FUNCTION = '_sqlite_store_integer';
export const STORE_TEXT_FUNCTION = '_sqlite_store_text';
export const STORE_UNTYPED_FUNCTION = '_sqlite_store_untyped';
export const STORE_BLOB_FUNCTION = '_sqlite_store_blob';
export const STORE_JSON_FUNCTION = '_sqlite_store_json';
export const STORE_TIMESTAMP_FUNCTION = '_sqlite_store_timestamp';
export const STORE_REAL_FUNCTION = '_sqlite_store_real';
export const STORE_NUMERIC_FUNCTION = '_sqlite_store_numeric';

/** The function's schema-qualified name (`quotedSchema` already quoted). */
export function storeFunction(quotedSchema: string, name: string): string {
  return `${quotedSchema}.${name}`;
}

const INT64 = `v >= -9223372036854775808 AND v < 9223372036854775808`;

/** RAISE of SQLITE_MISMATCH naming the column: SQLite keeps the value as `kept`. */
function refuse(kept: string, why: string, fix: string): string {
  const text = `datatype mismatch: an expression's value stored into %s would be kept by SQLite as ${kept} (${why}), which the PostgreSQL column cannot hold; ${fix}`;
  return `RAISE EXCEPTION USING ERRCODE = '${STORE_MISMATCH_STATE}', MESSAGE = format('${text.replace(/'/g, "''")}', col)`;
}

function fn(name: string, arg: string, returns: string, body: string, declare = ''): string {
  return `CREATE OR REPLACE FUNCTION ${name}(v ${arg}, col text) RETURNS ${returns}
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $sra$
${declare ? `DECLARE ${declare}\n` : ''}BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
${body}
END $sra$`;
}

/** CREATE OR REPLACE FUNCTION statements for `quotedSchema` (idempotent). */
export function storeFunctionsDdl(quotedSchema: string): string[] {
  const integer = storeFunction(quotedSchema, STORE_INTEGER_FUNCTION);
  const text = storeFunction(quotedSchema, STORE_TEXT_FUNCTION);
  const untyped = storeFunction(quotedSchema, STORE_UNTYPED_FUNCTION);
  const realText = realTextFunction(quotedSchema);
  const blob = storeFunction(quotedSchema, STORE_BLOB_FUNCTION);
  const json = storeFunction(quotedSchema, STORE_JSON_FUNCTION);
  const time = storeFunction(quotedSchema, STORE_TIMESTAMP_FUNCTION);
  const real = storeFunction(quotedSchema, STORE_REAL_FUNCTION);
  const numericFn = storeFunction(quotedSchema, STORE_NUMERIC_FUNCTION);
  const blobWhy = 'a BLOB column converts nothing';
  const blobFix = "store a blob (CAST(x AS BLOB)), or keep other values in a column of their type";
  const jsonWhy = "the JSON column's NUMERIC affinity keeps it so";
  const jsonFix = 'store JSON text that is not a bare number, e.g. an array or object';
  const timeWhy = "the TIMESTAMP column's NUMERIC affinity keeps it so";
  const timeFix = "store a time as text ('YYYY-MM-DD HH:MM:SS'), or NULL";
  const numeric = `'^[ \\t\\n\\v\\f\\r]*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \\t\\n\\v\\f\\r]*$'`;
  const timeText = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:(?:[ \\t]+|T)[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]+)?)?[ \\t]*(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?)?[ \\t]*$'`;
  const others = (f: string, returns: string, why: string, fix: string, except: string): string[] =>
    [['text', 'TEXT'], ['bigint', 'INTEGER'], ['integer', 'INTEGER'], ['double precision', 'REAL'], ['numeric', 'a number'], ['boolean', 'INTEGER'], ['bytea', 'BLOB']]
      .filter(([arg]) => arg !== except)
      .map(([arg, kept]) => fn(f, arg!, returns, `  ${refuse(kept!, why, fix)};`));
  const realWhy = "the REAL or NUMERIC column's affinity does not convert it";
  const realFix = 'store a number (CAST(x AS REAL)), or keep text in a TEXT column';
  const intWhy = "the INTEGER column's affinity does not convert it";
  const intFix = 'store an integer (CAST(x AS INTEGER), round(x)), or keep fractions in a REAL column';
  const textWhy = "the TEXT column's affinity does not convert a blob";
  const textFix = 'store text (CAST(x AS TEXT)), or keep blobs in a BLOB column';
  const anyWhy = 'a column declared without a type converts nothing';
  const anyFix = "store text (CAST(x AS TEXT)), or declare the column's type (INTEGER, REAL) so that PostgreSQL holds numbers";
  return [
    fn(integer, 'bigint', 'bigint', '  RETURN v;'),
    fn(integer, 'integer', 'bigint', '  RETURN v;'),
    fn(integer, 'double precision', 'bigint', `  IF v = trunc(v) AND ${INT64} THEN RETURN CAST(v AS bigint); END IF;\n  ${refuse('REAL', intWhy, intFix)};`),
    fn(integer, 'numeric', 'bigint', `  IF v = trunc(v) AND ${INT64} THEN RETURN CAST(v AS bigint); END IF;\n  ${refuse('REAL', intWhy, intFix)};`),
    fn(integer, 'boolean', 'bigint', '  RETURN CASE WHEN v THEN 1 ELSE 0 END;'),
    fn(integer, 'bytea', 'bigint', `  ${refuse('BLOB', intWhy, intFix)};`),
    // Text SQLite's INTEGER affinity reads as a number becomes it (' 12 ', '1e3', '2.0'); other text stays TEXT.
    fn(integer, 'text', 'bigint', `  m := regexp_match(v, '^[ \\t\\n\\v\\f\\r]*([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ \\t\\n\\v\\f\\r]*$');
  IF m IS NULL THEN ${refuse('TEXT', intWhy, intFix)}; END IF;
  IF m[1] ~ '^[+-]?[0-9]+$' AND CAST(m[1] AS numeric) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN RETURN CAST(m[1] AS bigint); END IF;
  d := CAST(m[1] AS double precision);
  IF d = trunc(d) AND d >= -9223372036854775808 AND d < 9223372036854775808 THEN RETURN CAST(d AS bigint); END IF;
  ${refuse('REAL', intWhy, intFix)};`, 'm text[]; d double precision;'),
    // Text into a REAL or NUMERIC column: the number it reads as (' 12 ', '1e3'); other text stays TEXT.
    fn(real, 'text', 'double precision', `  m := regexp_match(v, '^[ \\t\\n\\v\\f\\r]*([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ \\t\\n\\v\\f\\r]*$');
  IF m IS NULL THEN ${refuse('TEXT', realWhy, realFix)}; END IF;
  RETURN CAST(m[1] AS double precision);`, 'm text[];'),
    // Into a NUMERIC column an integer's text is exact (within 64 bits), other numbers are doubles.
    fn(numericFn, 'text', 'numeric', `  m := regexp_match(v, '^[ \\t\\n\\v\\f\\r]*([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ \\t\\n\\v\\f\\r]*$');
  IF m IS NULL THEN ${refuse('TEXT', realWhy, realFix)}; END IF;
  IF m[1] ~ '^[+-]?[0-9]+$' AND CAST(m[1] AS numeric) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN RETURN CAST(m[1] AS numeric); END IF;
  RETURN CAST(CAST(CAST(m[1] AS double precision) AS text) AS numeric);`, 'm text[];'),
    fn(text, 'text', 'text', '  RETURN v;'),
    fn(text, 'bigint', 'text', '  RETURN CAST(v AS text);'),
    fn(text, 'integer', 'text', '  RETURN CAST(v AS text);'),
    // A REAL is SQLite's text of it ('1.0', '1.0e+20'); an integral numeric without a point is an integer's.
    fn(text, 'double precision', 'text', `  RETURN ${realText}(v);`),
    // (Beyond 64 bits an integral value is a REAL in SQLite: 1e20 is '1.0e+20'.)
    fn(text, 'numeric', 'text', `  IF CAST(v AS text) ~ '^-?[0-9]+$' AND ${INT64} THEN RETURN CAST(v AS text); END IF;\n  RETURN ${realText}(CAST(v AS double precision));`),
    fn(text, 'boolean', 'text', "  RETURN CASE WHEN v THEN '1' ELSE '0' END;"),
    fn(text, 'bytea', 'text', `  ${refuse('BLOB', textWhy, textFix)};`),
    fn(blob, 'bytea', 'bytea', '  RETURN v;'),
    ...others(blob, 'bytea', blobWhy, blobFix, 'bytea'),
    fn(json, 'jsonb', 'jsonb', '  RETURN v;'),
    // Text is stored as JSON when it is JSON and not a number (NUMERIC affinity makes '12' a number).
    fn(json, 'text', 'jsonb', `  IF v ~ ${numeric} THEN ${refuse('a number', jsonWhy, jsonFix)}; END IF;
  BEGIN
    RETURN CAST(v AS jsonb);
  EXCEPTION WHEN invalid_text_representation THEN
    ${refuse('TEXT that is not JSON', jsonWhy, jsonFix)};
  END;`),
    ...others(json, 'jsonb', jsonWhy, jsonFix, 'text'),
    fn(time, 'timestamp with time zone', 'timestamp with time zone', '  RETURN v;'),
    fn(time, 'text', 'timestamp with time zone', `  IF v !~ ${timeText} THEN ${refuse('TEXT that is no time', timeWhy, timeFix)}; END IF;
  RETURN CAST(v AS timestamp with time zone);`),
    ...others(time, 'timestamp with time zone', timeWhy, timeFix, 'text'),
    fn(untyped, 'text', 'text', '  RETURN v;'),
    fn(untyped, 'bigint', 'text', `  ${refuse('INTEGER', anyWhy, anyFix)};`),
    fn(untyped, 'integer', 'text', `  ${refuse('INTEGER', anyWhy, anyFix)};`),
    fn(untyped, 'double precision', 'text', `  ${refuse('REAL', anyWhy, anyFix)};`),
    fn(untyped, 'numeric', 'text', `  ${refuse('a number', anyWhy, anyFix)};`),
    fn(untyped, 'boolean', 'text', `  ${refuse('INTEGER', anyWhy, anyFix)};`),
    fn(untyped, 'bytea', 'text', `  ${refuse('BLOB', anyWhy, anyFix)};`),
  ];
}

/** The regprocedure text of one of the functions, to tell whether the schema has them. */
export function storeFunctionSignature(quotedSchema: string): string {
  return `${storeFunction(quotedSchema, STORE_UNTYPED_FUNCTION)}(bytea, text)`;
}

/**
 * A condition that is true when the schema's functions are this version's: the body of the text
 * store of a numeric, the last one changed (a schema made by an older version gets them again).
 */
export function storeFunctionsCurrentSql(quotedSchema: string): string {
  const signature = `${storeFunction(quotedSchema, STORE_TEXT_FUNCTION)}(numeric, text)`.replace(/'/g, "''");
  const numeric = `${storeFunction(quotedSchema, STORE_NUMERIC_FUNCTION)}(text, text)`.replace(/'/g, "''");
  return `COALESCE((SELECT prosrc LIKE '%9223372036854775808%' FROM pg_proc WHERE oid = to_regprocedure('${signature}')), false) AND to_regprocedure('${numeric}') IS NOT NULL`;
}
