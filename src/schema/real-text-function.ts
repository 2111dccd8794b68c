/**
 * `<schema>._sqlite_real_text(double precision)`: the text SQLite gives a REAL (CAST(r AS TEXT),
 * `r || ''`, a text function of a real), in SQL. It is the same algorithm as the value layer's
 * sqliteRealText (src/backends/postgres/values/real-text.ts, SQLite 3.53's `%!.17g` with its own
 * shortening), with numeric for SQLite's 64- and 128-bit integer arithmetic, so that an expression
 * gives SQLite's digits (`0.30000000000000004`, `1000000000000000.0`, `1.0e+20`) where PostgreSQL
 * would print its shortest form. Created with the schema's other objects when the backend opens.
 */
import { BASE, SCALE, SCALE_LO } from '../backends/postgres/values/real-text';

export const REAL_TEXT_FUNCTION = '_sqlite_real_text';

const numbers = (xs: bigint[]): string => `'{${xs.map((x) => x.toString()).join(',')}}'::numeric[]`;

/** The function's schema-qualified name (`quotedSchema` already quoted). */
export function realTextFunction(quotedSchema: string): string {
  return `${quotedSchema}.${REAL_TEXT_FUNCTION}`;
}

/** CREATE OR REPLACE FUNCTION for `quotedSchema` (idempotent). */
export function realTextFunctionDdl(quotedSchema: string): string {
  return `CREATE OR REPLACE FUNCTION ${realTextFunction(quotedSchema)}(r double precision) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $sra$
DECLARE
  base numeric[] := ${numbers(BASE)};
  scale numeric[] := ${numbers(SCALE)};
  scale_lo numeric[] := ${numbers(SCALE_LO)};
  two64 numeric := 18446744073709551616;
  a double precision := abs(r);
  bits bytea := float8send(abs(r));
  raw numeric := 0;
  biased int; frac numeric; m numeric; e int; nn int;
  p int; g int; k int; s numeric; pw numeric; product numeric; x numeric; h numeric; sh int;
  z text; n int; xp int; idp int; iround int; jj int; v2 numeric; up text; round_up boolean; digits text; ex int;
BEGIN
  IF r = 0 THEN RETURN '0.0'; END IF;
  IF r = 'NaN'::float8 THEN RETURN 'NaN'; END IF;
  IF r = 'Infinity'::float8 THEN RETURN 'Inf'; END IF;
  IF r = '-Infinity'::float8 THEN RETURN '-Inf'; END IF;
  IF r = trunc(r) AND a <= 9007199254740991 THEN RETURN CAST(CAST(r AS bigint) AS text) || '.0'; END IF;
  FOR i IN 0..7 LOOP raw := raw * 256 + get_byte(bits, i); END LOOP;
  biased := div(raw, 4503599627370496);
  frac := mod(raw, 4503599627370496);
  IF biased = 0 THEN
    nn := 64 - length(ltrim(CAST(CAST(CAST(frac AS bigint) AS bit(64)) AS text), '0'));
    m := mod(frac * power(2::numeric, nn), two64);
    e := -1074 - nn;
  ELSE
    m := frac * 2048 + 9223372036854775808;
    e := biased - 1086;
  END IF;
  -- sqlite3Fp2Convert10(m, e, 18): p = 17 - pwr2to10(e + 63). div() divides big integers exactly (a division rounds at its scale).
  p := 17 - floor(((e + 63) * 78913)::numeric / 262144);
  -- powerOfTen(p)
  IF p >= 0 AND p < 27 THEN pw := base[p + 1];
  ELSIF p = -1 THEN pw := scale[14];
  ELSE
    g := trunc(p::numeric / 27);
    k := p - g * 27;
    IF p < 0 AND k <> 0 THEN g := g - 1; k := k + 27; END IF;
    s := scale[g + 14];
    IF k = 0 THEN pw := s;
    ELSE
      product := s * base[k + 1] + div(scale_lo[g + 14] * base[k + 1], 4294967296);
      x := div(product, two64);
      IF x < 9223372036854775808 THEN x := mod(x * 2, two64) + mod(div(product, 9223372036854775808), 2); END IF;
      pw := x;
    END IF;
  END IF;
  sh := -(e + floor((p * 108853)::numeric / 32768)::int + 2);
  h := div(m * pw, two64);
  IF sh >= 0 THEN h := div(h, power(2::numeric, sh)); ELSE h := h * power(2::numeric, -sh); END IF;
  h := div(h + mod(h, 2) * 2, 2);
  z := CAST(h AS text);
  xp := -p;
  -- sqlite3FpDecode(r, 17, 20)
  n := length(z);
  idp := n + xp;
  iround := 17;
  IF iround < n OR n > 20 THEN
    IF substr(z, 16, 1) = '9' AND substr(z, 15, 1) = '9' THEN
      jj := 14;
      WHILE jj > 0 AND substr(z, jj, 1) = '9' LOOP jj := jj - 1; END LOOP;
      v2 := CASE WHEN jj = 0 THEN 1 ELSE CAST(substr(z, 1, jj) AS numeric) + 1 END;
      IF a = CAST(v2 || 'e' || (xp + n - jj) AS double precision) THEN iround := jj + 1; END IF;
    ELSIF idp >= n OR (substr(z, 16, 1) = '0' AND substr(z, 15, 1) = '0' AND substr(z, 14, 1) = '0') THEN
      jj := 13;
      WHILE substr(z, jj, 1) = '0' LOOP jj := jj - 1; END LOOP;
      IF a = CAST(substr(z, 1, jj) || 'e' || (xp + n - jj) AS double precision) THEN iround := jj + 1; END IF;
    END IF;
    round_up := substr(z, iround + 1, 1) >= '5';
    z := substr(z, 1, iround);
    n := iround;
    IF round_up THEN
      up := CAST(CAST(z AS numeric) + 1 AS text);
      IF length(up) > n THEN idp := idp + 1; END IF;
      z := up;
      n := length(up);
    END IF;
  END IF;
  WHILE n > 1 AND substr(z, n, 1) = '0' LOOP n := n - 1; END LOOP;
  digits := substr(z, 1, n);
  IF idp - 1 < -4 OR idp - 1 > 16 THEN
    ex := idp - 1;
    z := CASE WHEN n > 1 THEN substr(digits, 1, 1) || '.' || substr(digits, 2) ELSE digits || '.0' END
      || 'e' || CASE WHEN ex < 0 THEN '-' ELSE '+' END || CASE WHEN abs(ex) < 10 THEN '0' ELSE '' END || CAST(abs(ex) AS text);
  ELSIF idp <= 0 THEN z := '0.' || repeat('0', -idp) || digits;
  ELSIF n <= idp THEN z := digits || repeat('0', idp - n) || '.0';
  ELSE z := substr(digits, 1, idp) || '.' || substr(digits, idp + 1);
  END IF;
  RETURN CASE WHEN r < 0 THEN '-' || z ELSE z END;
END $sra$`;
}
