/**
 * The chunk checksums of `verify`'s fast path. Each side writes a row as one text, the same text
 * for the same canonical values (select-sql.ts), hashes it with PostgreSQL's
 * `hashtextextended(text, 0)` and sums the hashes of a key range modulo 2^64: an order-independent
 * sum, so PostgreSQL neither sorts nor concatenates, and only a count and a number per chunk cross
 * the wire (SQLite's side hashes in JavaScript: hash.ts).
 *
 * The row text is every field in table order, JSON columns moved last:
 *   text     `<UTF-8 length>:<text>`      (NULL: `:`)
 *   JSON     `<UTF-8 length>:<jsonb text>` (NULL: `:`; PostgreSQL's jsonb::text, which the SQLite
 *            side renders in JavaScript: jsonb.ts)
 *   integer  `<digits>;`                  (NULL: `;`), booleans as 1/0
 *   timestamp `<epoch ms>;`               (NULL: `;`)
 *   blob     `x<lower-case hex>;`         (NULL: `;`)
 * which can be read back one way only, so equal texts mean equal values. A SQLite value that has
 * no PostgreSQL form (text in an INTEGER column, a timestamp SQLite cannot read, invalid JSON)
 * writes `?` where PostgreSQL never does: its chunk differs and is compared row by row, by value,
 * which decides (a text '5' in an INTEGER column is the number 5 there).
 */
import { quoteSchema } from '../../schema';
import { ident, type MigrationColumn, type MigrationTable } from '../core';

/** The columns in row-text order: the non-JSON ones, then the JSON ones (table order within each). */
export function checksumColumns(table: MigrationTable): { plain: MigrationColumn[]; json: MigrationColumn[] } {
  return { plain: table.columns.filter((c) => c.kind !== 'json'), json: table.columns.filter((c) => c.kind === 'json') };
}

/**
 * PostgreSQL's instant of a timestamp as epoch-ms text; select-sql.ts compares rows by the same
 * expression. 'infinity' and '-infinity' have no instant (and no bigint: casting them fails the whole
 * query), so they are written `?infinity` / `?-infinity`, which no readable SQLite timestamp equals.
 */
export function postgresEpochMs(column: string): string {
  return `CASE WHEN isfinite(${column}) THEN ((date_part('epoch', ${column}) * 1000)::bigint)::text ELSE '?' || ${column}::text END`;
}

/** SQLite's instant of a timestamp text in epoch ms (NULL when SQLite cannot read it). */
export function sqliteEpochMs(column: string): string {
  return `CAST(round(unixepoch(${column}, 'subsec') * 1000) AS INTEGER)`;
}

/** SQLite: the field as arguments of concat() (which writes NULL as nothing, values as CAST AS TEXT does). */
function sqliteField(column: MigrationColumn): string {
  const c = ident(column.name);
  switch (column.kind) {
    case 'timestamp':
      return `iif(${c} IS NULL, '', coalesce(${sqliteEpochMs(c)}, '?')), ';'`;
    case 'blob':
      return `iif(${c} IS NULL, '', 'x' || lower(hex(${c}))), ';'`;
    case 'integer':
    case 'boolean':
      // Only a stored integer has PostgreSQL's form (its digits); a real 1.0 is '1.0', not '1'.
      return `iif(typeof(${c}) IN ('integer', 'null'), ${c}, '?'), ';'`;
    default:
      return `octet_length(${c}), ':', ${c}`;
  }
}

function postgresField(column: MigrationColumn): string {
  const c = ident(column.name);
  switch (column.kind) {
    case 'timestamp':
      return `${postgresEpochMs(c)}, ';'`; // '?infinity' never equals SQLite's lone '?': such a chunk is compared row by row
    case 'blob':
      return `'x' || encode(${c}, 'hex'), ';'`;
    case 'boolean':
      return `${c}::int, ';'`;
    case 'integer':
      return `${c}, ';'`;
    default:
      return `octet_length(${c}), ':', ${c}`;
  }
}

/**
 * SQLite: every row of the table, in no particular order (a plain scan), each `[key, text of the
 * non-JSON fields as a BLOB of its UTF-8 bytes, ...JSON texts as stored]`; with `half`, only the rows whose rowid is `<=` or `>` the `?` (null: none).
 */
export function sqliteChecksumScanSql(table: MigrationTable, half?: '<=' | '>'): string {
  const { plain, json } = checksumColumns(table);
  const key = ident(table.key);
  return `SELECT ${key}, CAST(concat(${plain.map(sqliteField).join(', ')}) AS BLOB)${json.map((c) => `, CAST(${ident(c.name)} AS TEXT)`).join('')}
    FROM ${ident(table.name)} WHERE ${key} IS NOT NULL${half ? ` AND rowid ${half} ?` : ''}`;
}

/**
 * PostgreSQL: per chunk `c` (0-based), `n` rows and `h` their sum of row hashes, one scan of the
 * table: `$1` the chunk boundaries ascending, chunk c holding `$1[c] < key <= $1[c+1]` (1-based
 * array, open ends), as chunkOf assigns SQLite's rows. width_bucket puts a key equal to a boundary
 * in the chunk it begins, so such a key moves back one. Chunks without rows are not listed.
 */
export function postgresChunkedChecksumSql(schema: string, table: MigrationTable): string {
  const { plain, json } = checksumColumns(table);
  const key = ident(table.key);
  const fields = [...plain.map(postgresField), ...json.map((_, i) => `octet_length(j${i}), ':', j${i}`)];
  // Each jsonb is printed once: the subquery (kept one by OFFSET 0) names its text for both uses.
  const columns = [...plain.map((c) => ident(c.name)), ...json.map((c, i) => `${ident(c.name)}::text AS j${i}`)];
  return `SELECT b - coalesce((k = ($1::text[])[b])::int, 0) AS c, count(*)::int AS n, sum(hashtextextended(concat(${fields.join(', ')}), 0))::text AS h
    FROM (SELECT width_bucket(${key} COLLATE "C", $1::text[]) AS b, ${key} COLLATE "C" AS k, ${columns.join(', ')}
      FROM ${quoteSchema(schema)}.${ident(table.name)} OFFSET 0) s
    GROUP BY 1`;
}

/** The probe verify runs once: the server hashes as hash.ts does (a little-endian server). */
export const HASH_PROBE = 'swarm-registry verify: é😀 0123456789';
