/**
 * PostgreSQL's COPY text format, both ways: rows of strings (or null) to lines, and the lines of
 * `COPY ... TO STDOUT` back to fields. Tab separates, newline ends, `\N` is NULL, and backslash,
 * tab, newline and carriage return inside a value are escaped.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function escapeCopyValue(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPES, (c) => ESCAPED[c]!) : value;
}

/** One row as a COPY line (with its newline). */
export function copyLine(values: ReadonlyArray<string | null>): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) line += '\t';
    line += value === null || value === undefined ? '\\N' : escapeCopyValue(value);
  }
  return line + '\n';
}

const UNESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

function unescapeCopyValue(field: string): string | null {
  if (field === '\\N') return null;
  if (field.indexOf('\\') < 0) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e.length > 1 && e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return UNESCAPED[e] ?? e;
  });
}

/** Splits one COPY line (without its newline) into values. */
export function parseCopyLine(line: string): Array<string | null> {
  const fields = line.split('\t');
  const out = new Array<string | null>(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = unescapeCopyValue(fields[i]!);
  return out;
}

/**
 * Turns the chunks of a `COPY ... TO STDOUT` stream into batches of parsed rows. Lines can span
 * chunks; a chunk can also end inside a multi-byte character, hence the StringDecoder.
 */
export async function* copyRows(stream: AsyncIterable<Buffer>): AsyncGenerator<Array<Array<string | null>>> {
  const { StringDecoder } = await import('node:string_decoder');
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) yield lines.map(parseCopyLine);
  }
  rest += decoder.end();
  if (rest !== '') yield [parseCopyLine(rest)];
}
