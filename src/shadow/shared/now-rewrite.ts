/**
 * 'now' is evaluated once per statement by the adapter and bound to both databases. On
 * the PostgreSQL side the translation's 'now' slots take the value; on the SQLite side the
 * statement's uses of 'now' are rewritten (on tokens, so never inside a literal or a comment) to
 * the adapter's function `sra_now()`, which returns the value set before the statement runs:
 *   datetime('now', '-5 minutes') → datetime(sra_now(), '-5 minutes')
 *   CURRENT_TIMESTAMP → datetime(sra_now()), CURRENT_DATE → date(sra_now()), ...
 * DDL is left alone: a column's DEFAULT CURRENT_TIMESTAMP cannot call a function (the
 * comparator's timestamp tolerance covers those values).
 */
import { isTrivia, tokenize, type Token } from '../../translator/tokenizer';

export const NOW_FUNCTION = 'sra_now';

/** Functions whose time value (first argument; strftime's second) may be the string 'now'. */
const TIME_FUNCTIONS = new Set(['DATE', 'TIME', 'DATETIME', 'JULIANDAY', 'UNIXEPOCH', 'STRFTIME', 'TIMEDIFF']);
const CURRENT = new Map([
  ['CURRENT_TIMESTAMP', `datetime(${NOW_FUNCTION}())`],
  ['CURRENT_DATE', `date(${NOW_FUNCTION}())`],
  ['CURRENT_TIME', `time(${NOW_FUNCTION}())`],
]);
const DDL = new Set(['CREATE', 'ALTER', 'DROP']);

export interface NowRewrite {
  /** The statement to prepare on SQLite. */
  sql: string;
  /** The statement reads 'now': the adapter must set the value before each run. */
  usesNow: boolean;
}

export function rewriteNow(sql: string): NowRewrite {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return { sql, usesNow: false }; // SQLite reports the syntax error itself
  }
  const first = tokens.find((t) => !isTrivia(t));
  if (!first || (first.type === 'word' && DDL.has(first.value))) return { sql, usesNow: false };
  const replaced = new Map<Token, string>();
  tokens.forEach((t, i) => {
    if (t.type === 'word' && CURRENT.has(t.value) && !isCallee(tokens, i)) replaced.set(t, CURRENT.get(t.value)!);
    if (t.type === 'string' && t.value.toLowerCase() === 'now' && isTimeValueArgument(tokens, i)) replaced.set(t, `${NOW_FUNCTION}()`);
  });
  if (replaced.size === 0) return { sql, usesNow: false };
  return { sql: tokens.map((t) => replaced.get(t) ?? t.text).join(''), usesNow: true };
}

/** A SQLite date/time value in SQLite's own text form, with milliseconds: 'YYYY-MM-DD HH:MM:SS.SSS'. */
export function sqliteNowText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function next(tokens: Token[], i: number, step: 1 | -1): number {
  let j = i + step;
  while (j >= 0 && j < tokens.length && isTrivia(tokens[j]!)) j += step;
  return j;
}

function isCallee(tokens: Token[], i: number): boolean {
  return tokens[next(tokens, i, 1)]?.type === 'lparen';
}

/** The string is the time value of a date/time function: `fn('now'` or `strftime(fmt, 'now'`. */
function isTimeValueArgument(tokens: Token[], i: number): boolean {
  const before = tokens[next(tokens, i, -1)];
  if (before?.type === 'lparen') {
    const fn = tokens[next(tokens, next(tokens, i, -1), -1)];
    return fn?.type === 'word' && TIME_FUNCTIONS.has(fn.value) && fn.value !== 'STRFTIME';
  }
  if (before?.type !== 'comma') return false;
  const format = next(tokens, next(tokens, i, -1), -1);
  const paren = next(tokens, format, -1);
  const fn = tokens[next(tokens, paren, -1)];
  return tokens[paren]?.type === 'lparen' && fn?.type === 'word' && (fn.value === 'STRFTIME' || fn.value === 'TIMEDIFF');
}
