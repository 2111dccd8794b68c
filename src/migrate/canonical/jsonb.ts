/**
 * JSON text as PostgreSQL prints it back from JSONB, computed in JavaScript from SQLite's text, so
 * that `verify` can checksum PostgreSQL's `jsonb::text` as it comes (no parsing on that side):
 * object keys sorted shorter-first then by bytes (duplicates: the last wins), `", "` and `": "`
 * separators, strings escaped as PostgreSQL's escape_json does (which JSON.stringify matches).
 * Numbers are written as JavaScript prints them, which equals PostgreSQL's numeric text for the
 * usual integers and decimals; for others ('1.0', '1e3', 20 digits) the texts differ, the chunk's
 * checksums then differ, and verify compares its rows by value (values.ts) before reporting
 * anything. So a mistake here can cost time, never a wrong verdict: equal texts mean equal values.
 */
import { compareKeys } from '../core';
import { rewriteJson } from '../../policy';

/** PostgreSQL's `jsonb::text` of this JSON text; text that is not JSON is marked, never equal to any. */
export function jsonbText(text: string): string {
  return rewriteJson(text, write);
}

// JSON.stringify escapes a string as PostgreSQL's escape_json does (control characters, '"', '\\',
// lone surrogates), and writes any other string as itself in quotes.
function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = `[${write(value[0])}`;
    for (let i = 1; i < value.length; i++) out += `, ${write(value[i])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const n = keys.length;
  if (n === 0) return '{}';
  if (n > 1) sortKeys(keys);
  let out = `{${JSON.stringify(keys[0])}: ${write(record[keys[0]!])}`;
  for (let i = 1; i < n; i++) out += `, ${JSON.stringify(keys[i])}: ${write(record[keys[i]!])}`;
  return `${out}}`;
}

/** Sorts in place in JSONB's key order; an insertion sort, each key's UTF-8 length computed once (objects are small). */
function sortKeys(keys: string[]): void {
  const lengths = keys.map(utf8Length);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    const length = lengths[i]!;
    let j = i - 1;
    while (j >= 0 && (lengths[j]! > length || (lengths[j] === length && compareKeys(keys[j]!, key) > 0))) {
      keys[j + 1] = keys[j]!;
      lengths[j + 1] = lengths[j]!;
      j--;
    }
    keys[j + 1] = key;
    lengths[j + 1] = length;
  }
}

/** JSONB's order of object keys: by length in UTF-8 bytes, then byte by byte. */
export function jsonbKeyOrder(a: string, b: string): number {
  return utf8Length(a) - utf8Length(b) || compareKeys(a, b);
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) n += 1, i++; // a pair: 4 bytes for its 2 units (the loop skips the second)
    else n += 2;
  }
  return n;
}
