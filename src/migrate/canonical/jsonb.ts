/**
 * JSON text as PostgreSQL prints it back from JSONB, computed in JavaScript from SQLite's text, so
 * that `verify` can checksum PostgreSQL's `jsonb::text` as it comes (no parsing on that side):
 * object keys sorted shorter-first then by bytes (duplicates: the last wins), `", "` and `": "`
 * separators, strings escaped as PostgreSQL's escape_json does (which JSON.stringify matches).
 * Numbers in plain decimal form are written digit for digit, as numeric keeps them ('1.50', 20-digit
 * integers); others (an exponent: '1e3') as JavaScript prints them, which can differ from
 * PostgreSQL's numeric text. Where the texts differ the chunk's checksums differ, and verify compares
 * its rows by value (values.ts) before reporting anything. So a mistake here can cost time, never a
 * wrong verdict: equal texts mean equal values.
 */
import { compareKeys } from '../core';
import { rewriteJson } from '../../policy';

/** PostgreSQL's `jsonb::text` of this JSON text; text that is not JSON is marked, never equal to any. */
export function jsonbText(text: string): string {
  return scanned(text) ?? rewriteJson(text, write);
}

// The common case without building values: JSON as applications write it (JSON.stringify: no
// spacing, strings escaped as PostgreSQL escapes them) rewritten in one pass over the text. Tokens
// are copied as they are: strings whose escapes are already PostgreSQL's, and numbers in plain
// decimal form, which jsonb keeps digit for digit ('1.50', 20-digit integers), where JavaScript's
// number would not. Anything else (an exponent, another escape, a key with an escape, a key twice)
// makes it give up (undefined), and the parse-and-write path above answers.
let src = '';
let at = 0;

function scanned(text: string): string | undefined {
  src = text;
  at = 0;
  const out = scanValue();
  skipSpace();
  return out !== undefined && at === text.length ? out : undefined;
}

function skipSpace(): void {
  for (;;) {
    const c = src.charCodeAt(at);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
    else return;
  }
}

function scanValue(): string | undefined {
  skipSpace();
  const c = src.charCodeAt(at);
  if (c === 0x22) return scanString();
  if (c === 0x7b) return scanObject();
  if (c === 0x5b) return scanArray();
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return scanNumber();
  const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
  if (word === undefined || !src.startsWith(word, at)) return undefined;
  at += word.length;
  return word;
}

/** A string token as PostgreSQL writes it back: escapes only \" \\ \b \f \n \r \t, and \u00xx for the other characters below 0x20. */
function scanString(): string | undefined {
  const start = at++;
  for (;;) {
    const c = src.charCodeAt(at++);
    if (c === 0x22) return src.slice(start, at);
    if (Number.isNaN(c) || c < 0x20) return undefined;
    if (c !== 0x5c) continue;
    const e = src.charCodeAt(at++);
    if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) continue;
    if (e !== 0x75 || !/^00(0[0-7]|0b|0e|0f|1[0-9a-f])$/.test(src.slice(at, at + 4))) return undefined;
    at += 4;
  }
}

/** A number in plain decimal form ('-0' and '-0.00' are written without their sign, as numeric does). */
function scanNumber(): string | undefined {
  const start = at;
  if (src.charCodeAt(at) === 0x2d) at++;
  const first = src.charCodeAt(at);
  if (first === 0x30) at++;
  else if (first >= 0x31 && first <= 0x39) while (isDigit(src.charCodeAt(at))) at++;
  else return undefined;
  if (src.charCodeAt(at) === 0x2e) {
    at++;
    if (!isDigit(src.charCodeAt(at))) return undefined;
    while (isDigit(src.charCodeAt(at))) at++;
  }
  const next = src.charCodeAt(at);
  if (next === 0x65 || next === 0x45) return undefined;
  const token = src.slice(start, at);
  return token.charCodeAt(0) === 0x2d && /^-0(\.0+)?$/.test(token) ? token.slice(1) : token;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Steps past an opening bracket; true (and past the closing one) when the container is empty. */
function emptyContainer(close: number): boolean {
  at++;
  skipSpace();
  if (src.charCodeAt(at) !== close) return false;
  at++;
  return true;
}

function scanArray(): string | undefined {
  if (emptyContainer(0x5d)) return '[]';
  let out = '[';
  for (;;) {
    const value = scanValue();
    if (value === undefined) return undefined;
    out += value;
    skipSpace();
    const c = src.charCodeAt(at++);
    if (c === 0x5d) return `${out}]`;
    if (c !== 0x2c) return undefined;
    out += ', ';
  }
}

function scanObject(): string | undefined {
  if (emptyContainer(0x7d)) return '{}';
  const keys: string[] = [];
  const values: string[] = [];
  for (;;) {
    skipSpace();
    if (src.charCodeAt(at) !== 0x22) return undefined;
    const key = scanString();
    // A key with an escape sorts by what it decodes to: the other path.
    if (key === undefined || key.includes('\\')) return undefined;
    skipSpace();
    if (src.charCodeAt(at++) !== 0x3a) return undefined;
    const value = scanValue();
    if (value === undefined) return undefined;
    keys.push(key.slice(1, -1));
    values.push(value);
    skipSpace();
    const c = src.charCodeAt(at++);
    if (c === 0x7d) break;
    if (c !== 0x2c) return undefined;
  }
  if (keys.length > 1) {
    sortKeys(keys, values);
    // A key twice: jsonb keeps the last one, which the other path knows.
    for (let i = 1; i < keys.length; i++) if (keys[i] === keys[i - 1]) return undefined;
  }
  let out = `{"${keys[0]}": ${values[0]}`;
  for (let i = 1; i < keys.length; i++) out += `, "${keys[i]}": ${values[i]}`;
  return `${out}}`;
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

/**
 * Sorts in place in JSONB's key order, `values` (when given) moved alongside; an insertion sort,
 * each key's UTF-8 length computed once (objects are small).
 */
function sortKeys(keys: string[], values?: string[]): void {
  const lengths = keys.map(utf8Length);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    const length = lengths[i]!;
    const value = values?.[i];
    let j = i - 1;
    while (j >= 0 && (lengths[j]! > length || (lengths[j] === length && compareKeys(keys[j]!, key) > 0))) {
      keys[j + 1] = keys[j]!;
      lengths[j + 1] = lengths[j]!;
      if (values) values[j + 1] = values[j]!;
      j--;
    }
    keys[j + 1] = key;
    lengths[j + 1] = length;
    if (values) values[j + 1] = value!;
  }
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) n += 2, i++; // a pair: 4 bytes for its 2 units, counted 1 each in s.length (the loop skips the second)
    else n += 2;
  }
  return n;
}
