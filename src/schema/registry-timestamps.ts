/**
 * Which text a TIMESTAMPTZ column held in SQLite (docs/api.md, Time): learnt from the data by the backfill
 * and kept with the schema as the column's COMMENT (`sqlite-format=iso` / `sqlite-format=sqlite`),
 * where the catalog reader (introspect.ts) finds it.
 */
import type { TimestampFormat } from './catalog';
import { quoteSchema } from './registry-ddl';

/** A connection that runs SQL (a pg.Client or a pool's client: one connection, not a Pool). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

const MARKER = /sqlite-format=(sqlite|iso)\b/;

/** The format recorded in a column comment, if any. */
export function timestampFormatFromComment(comment: string | null | undefined): TimestampFormat | undefined {
  const match = comment ? MARKER.exec(comment) : null;
  return match ? (match[1] as TimestampFormat) : undefined;
}

/**
 * SQLite's `YYYY-MM-DD HH:MM:SS` (CURRENT_TIMESTAMP) or ISO-8601 `YYYY-MM-DDTHH:MM:SS.sssZ`
 * (toISOString): the majority of the values decides, a tie (or no timestamp at all) is `sqlite`.
 */
export function learnTimestampFormat(values: Iterable<unknown>): TimestampFormat {
  let iso = 0;
  let sqlite = 0;
  for (const value of values) {
    if (typeof value !== 'string' || value.length < 19 || value[4] !== '-' || value[7] !== '-') continue;
    if (value[10] === 'T') iso++;
    else if (value[10] === ' ') sqlite++;
  }
  return iso > sqlite ? 'iso' : 'sqlite';
}

/**
 * Records each column's format (`{ 'agents.created_at': 'iso' }`) in its comment, keeping any
 * other text of the comment. One transaction; the columns must exist and be timestamps.
 */
export async function setTimestampFormats(
  client: Queryable,
  schema: string,
  formats: Readonly<Record<string, TimestampFormat>>,
): Promise<void> {
  const quoted = quoteSchema(schema);
  const entries = Object.entries(formats).map(([key, format]) => {
    const [table, column, extra] = key.split('.');
    if (!table || !column || extra !== undefined) throw new TypeError(`Expected "table.column" as a timestamp format key, got "${key}"`);
    if (format !== 'sqlite' && format !== 'iso') throw new TypeError(`Timestamp format of ${key} must be 'sqlite' or 'iso', got "${String(format)}"`);
    return { table: quoteSchema(table), column: quoteSchema(column), rawTable: table, rawColumn: column, format };
  });
  await client.query('BEGIN');
  try {
    for (const e of entries) {
      const { rows } = await client.query(
        `SELECT format_type(a.atttypid, a.atttypmod) AS type, col_description(a.attrelid, a.attnum) AS comment
           FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped`,
        [`${quoted}.${e.table}`, e.rawColumn],
      );
      const row = rows[0];
      if (!row) throw new Error(`Cannot record the timestamp format of ${schema}.${e.rawTable}.${e.rawColumn}: no such column.`);
      if (!String(row.type).startsWith('timestamp')) {
        throw new Error(`Cannot record a timestamp format for ${schema}.${e.rawTable}.${e.rawColumn}: it is ${String(row.type)}, not a timestamp.`);
      }
      const comment = withFormat(typeof row.comment === 'string' ? row.comment : '', e.format);
      await client.query(`COMMENT ON COLUMN ${quoted}.${e.table}.${e.column} IS ${literal(comment)}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function withFormat(comment: string, format: TimestampFormat): string {
  const marker = `sqlite-format=${format}`;
  if (MARKER.test(comment)) return comment.replace(MARKER, marker);
  return comment === '' ? marker : `${comment} ${marker}`;
}

/** A string literal that is safe whatever standard_conforming_strings says. */
function literal(text: string): string {
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
