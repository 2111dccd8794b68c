/**
 * `<schema>._sqlite_sum(double precision)` and `_sqlite_avg(double precision)`: sum() and avg() of
 * REALs as SQLite computes them (3.43 on), with Kahan-Babuska-Neumaier compensated summation: the
 * running sum and the error it dropped are kept apart and added at the end. PostgreSQL's sum() of
 * doubles adds them plainly, so its last digits differ: sum(-1.25 * r) over 1.5, 0.25, 1e15, -2,
 * 0.1 is -1250000000000000.0 there and -1249999999999999.8 in SQLite. The state is {sum, error,
 * count}; an error that is no longer finite is left out, as SQLite does. Created with the
 * schema's other objects when the backend opens (rules/aggregates.ts writes the calls).
 */

export const REAL_SUM_AGGREGATE = '_sqlite_sum';
export const REAL_AVG_AGGREGATE = '_sqlite_avg';
const STEP = '_sqlite_sum_step';

/** The aggregate's schema-qualified name (`quotedSchema` already quoted). */
export function realAggregate(quotedSchema: string, name: string): string {
  return `${quotedSchema}.${name}`;
}

/** CREATE OR REPLACE statements for `quotedSchema` (idempotent). */
export function realSumAggregateDdl(quotedSchema: string): string[] {
  const step = `${quotedSchema}.${STEP}`;
  // SQLite's kahanBabuskaNeumaierStep: t = s + r; the error gains what t lost of the smaller one.
  const total = "CASE WHEN s[2] IN ('Infinity', '-Infinity', 'NaN') THEN s[1] ELSE s[1] + s[2] END";
  return [
    // PL/pgSQL updates the state in place: about 1 µs a row, where a SQL function building a new
    // array each row took about 5 (PostgreSQL's own sum() of doubles: 0.05).
    `CREATE OR REPLACE FUNCTION ${step}(s double precision[], r double precision) RETURNS double precision[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $sra$
DECLARE t double precision := s[1] + r;
BEGIN
  IF abs(s[1]) > abs(r) THEN s[2] := s[2] + ((s[1] - t) + r); ELSE s[2] := s[2] + ((r - t) + s[1]); END IF;
  s[1] := t;
  s[3] := s[3] + 1;
  RETURN s;
END
$sra$`,
    `CREATE OR REPLACE FUNCTION ${step}_sum(s double precision[]) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $sra$
SELECT CASE WHEN s[3] = 0 THEN NULL ELSE ${total} END
$sra$`,
    `CREATE OR REPLACE FUNCTION ${step}_avg(s double precision[]) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $sra$
SELECT CASE WHEN s[3] = 0 THEN NULL ELSE (${total}) / s[3] END
$sra$`,
    `CREATE OR REPLACE AGGREGATE ${realAggregate(quotedSchema, REAL_SUM_AGGREGATE)}(double precision) (SFUNC = ${step}, STYPE = double precision[], FINALFUNC = ${step}_sum, INITCOND = '{0,0,0}', PARALLEL = SAFE)`,
    `CREATE OR REPLACE AGGREGATE ${realAggregate(quotedSchema, REAL_AVG_AGGREGATE)}(double precision) (SFUNC = ${step}, STYPE = double precision[], FINALFUNC = ${step}_avg, INITCOND = '{0,0,0}', PARALLEL = SAFE)`,
  ];
}

/** A condition true when the schema has the aggregates. */
export function realSumAggregateExistsSql(quotedSchema: string): string {
  return `to_regprocedure('${realAggregate(quotedSchema, REAL_AVG_AGGREGATE).replace(/'/g, "''")}(double precision)') IS NOT NULL`;
}
