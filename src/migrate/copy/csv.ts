/**
 * The COPY format the backfill and the repair write: CSV with U+0001 as the quote character.
 * Inside a quoted CSV field every byte is literal (tabs, newlines, backslashes), and only the
 * quote character itself needs doubling. JSON is full of '"' and '\' (which the text format and
 * standard CSV would both have to rewrite in every value), but practically never holds U+0001, so
 * SQLite can emit each value with one `instr` check instead of four `replace` passes: this halves
 * the SQLite thread's work, which is what bounds the backfill's speed.
 * NULL is an unquoted empty field; an empty string is a quoted one (two quote characters).
 */
import { type ColumnKind, ident, type MigrationColumn } from '../core';

export const CSV_QUOTE = '\u0001';

/** The COPY options matching this format (the quote is one byte in UTF-8 and never part of another character). */
export const CSV_COPY_OPTIONS = "(FORMAT csv, QUOTE E'\\x01', DELIMITER ',')";

/** Kinds written unquoted: digits or `\x` hex, which hold no delimiter, quote or newline. */
function unquoted(kind: ColumnKind): boolean {
  return kind === 'integer' || kind === 'boolean' || kind === 'blob';
}

/** SQLite: the CSV field of one column (its value as the text PostgreSQL reads for the column's type). */
export function csvFieldSql(column: MigrationColumn): string {
  const c = ident(column.name);
  // A number or blob in an INTEGER/BOOLEAN column was refused by the profile; `||` writes SQLite's text of it.
  if (column.kind === 'integer' || column.kind === 'boolean') return `coalesce(${c}, '')`;
  if (column.kind === 'blob') return `CASE WHEN ${c} IS NULL THEN '' ELSE '\\x' || hex(${c}) END`;
  // `||` turns a REAL or INTEGER stored in a TEXT column into SQLite's own text of it ('2.0'), as CAST does.
  return `CASE WHEN ${c} IS NULL THEN '' WHEN instr(${c}, char(1)) THEN char(1) || replace(${c}, char(1), char(1, 1)) || char(1) ELSE char(1) || ${c} || char(1) END`;
}

/** SQLite: one row as a CSV line, newline included. */
export function csvLineSql(columns: readonly MigrationColumn[]): string {
  return `${columns.map(csvFieldSql).join(" || ',' || ")} || char(10)`;
}

/** JavaScript: one row of values (already the text PostgreSQL reads, blobs as `\x` hex) as a CSV line. */
export function csvLine(columns: readonly MigrationColumn[], values: ReadonlyArray<string | null>): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const value = values[i];
    if (i > 0) line += ',';
    if (value === null || value === undefined) continue;
    line += unquoted(columns[i]!.kind) ? value : CSV_QUOTE + value.replaceAll(CSV_QUOTE, CSV_QUOTE + CSV_QUOTE) + CSV_QUOTE;
  }
  return line + '\n';
}
