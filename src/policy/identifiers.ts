/**
 * A PostgreSQL or SQLite identifier as a quoted name: in double quotes, each double quote inside
 * doubled. Every name the package writes into SQL text (schemas, tables, columns) goes through it,
 * so a name with a quote, a space or upper case letters is never read as something else.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
