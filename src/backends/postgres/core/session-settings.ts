/**
 * The session settings the translation and the value shaping rely on, pinned on every PostgreSQL
 * connection the package opens (the sync worker, the AsyncDatabase pool, the shadow mirror, the
 * migration tools), whatever the server, the database or the role has set (`ALTER DATABASE ... SET`):
 * - standard_conforming_strings: a backslash in a literal is a character, as in SQLite;
 * - DateStyle, IntervalStyle, TimeZone: dates print as ISO text in UTC, intervals as the rules expect;
 * - extra_float_digits: reals print with the digits that round-trip;
 * - bytea_output: blobs arrive as hex;
 * - client_encoding: text is UTF-8, as better-sqlite3 hands it over;
 * - transform_null_equals: `x = NULL` stays NULL, as in SQLite.
 */

export const PINNED_SETTINGS: ReadonlyArray<readonly [name: string, value: string]> = [
  ['standard_conforming_strings', 'on'],
  ['client_encoding', 'UTF8'],
  ['DateStyle', 'ISO,YMD'],
  ['IntervalStyle', 'postgres'],
  ['TimeZone', 'UTC'],
  ['extra_float_digits', '1'],
  ['bytea_output', 'hex'],
  ['transform_null_equals', 'off'],
];

/** The settings as SET statements, run once on each new connection. */
export function pinnedSetStatements(): string[] {
  return PINNED_SETTINGS.map(([name, value]) => `SET ${name} TO '${value}'`);
}

/** The settings as a `pg` `options` string (libpq `-c` flags), applied at connection start-up. */
export function pinnedOptions(): string {
  return PINNED_SETTINGS.map(([name, value]) => `-c ${name}=${value}`).join(' ');
}
