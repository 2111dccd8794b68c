/**
 * Names and texts written into SQL: an identifier in double quotes with each double quote inside
 * doubled, a text literal in single quotes with each single quote doubled (PostgreSQL's default,
 * standard_conforming_strings = on, makes a backslash an ordinary character). The names shadow mode
 * and the migration tools write into SQL go through quoteIdent, so a name with a quote, a space or
 * upper case letters is never read as something else.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
