/**
 * Timestamps written in shadow mode are equal on both databases, not close. A column's
 * `DEFAULT CURRENT_TIMESTAMP` is evaluated by each database on its own clock, at its own moment
 * (the mirror applies the write later), so an INSERT that leaves such a column out would store
 * two different instants. In shadow mode the INSERT names those columns with CURRENT_TIMESTAMP,
 * which the adapter then binds to the statement's single 'now' on both sides.
 *
 *   INSERT INTO agents (id, name) VALUES (?, ?)
 *   → INSERT INTO agents (id, name, created_at, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
 *
 * Only the engine's form is rewritten: an explicit column list and VALUES rows. INSERT ... SELECT
 * and DEFAULT VALUES keep each database's default (the comparator's tolerance covers them).
 */
import { isTrivia, tokenize, type Token } from '../../translator/tokenizer';
import { quoteIdent } from '../../policy';

/** The columns of `table` whose default is the current time (lower case), if any. */
export type NowDefaults = (table: string) => readonly string[] | undefined;

export function fillNowDefaults(sql: string, nowDefaults: NowDefaults): string {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return sql;
  }
  const sig = tokens.map((_, i) => i).filter((i) => !isTrivia(tokens[i]!));
  const word = (k: number, ...values: string[]): boolean => tokens[sig[k]!]?.type === 'word' && values.includes(tokens[sig[k]!]!.value);
  if (!word(0, 'INSERT', 'REPLACE')) return sql;
  let k = 1;
  if (word(k, 'OR')) k += 2;
  if (!word(k, 'INTO')) return sql;
  k++;
  const nameToken = tokens[sig[k]!];
  if (!nameToken || (nameToken.type !== 'word' && nameToken.type !== 'qident')) return sql;
  if (tokens[sig[k + 1]!]?.type === 'op' && tokens[sig[k + 1]!]!.text === '.') return sql; // schema-qualified: leave it
  const table = (nameToken.type === 'qident' ? nameToken.value : nameToken.text).toLowerCase();
  const defaults = nowDefaults(table);
  if (!defaults || defaults.length === 0) return sql;
  k++;
  if (tokens[sig[k]!]?.type !== 'lparen') return sql;
  const columnsOpen = sig[k]!;
  const columnsClose = matching(tokens, columnsOpen);
  if (columnsClose < 0) return sql;
  const listed = new Set(
    tokens.slice(columnsOpen + 1, columnsClose).filter((t) => t.type === 'word' || t.type === 'qident').map((t) => (t.type === 'qident' ? t.value : t.text).toLowerCase()),
  );
  const missing = defaults.filter((c) => !listed.has(c));
  if (missing.length === 0) return sql;
  let at = sig.indexOf(columnsClose) + 1;
  if (!word(at, 'VALUES')) return sql;
  const rowCloses: number[] = [];
  at++;
  for (;;) {
    const open = sig[at];
    if (open === undefined || tokens[open]!.type !== 'lparen') return sql;
    const close = matching(tokens, open);
    if (close < 0) return sql;
    rowCloses.push(close);
    at = sig.indexOf(close) + 1;
    if (tokens[sig[at]!]?.type !== 'comma') break;
    at++;
  }
  const inserts = new Map<number, string>([[columnsClose, missing.map((c) => `, ${quoteIdent(c)}`).join('')]]);
  const values = missing.map(() => ', CURRENT_TIMESTAMP').join('');
  for (const close of rowCloses) inserts.set(close, values);
  return tokens.map((t, i) => (inserts.get(i) ?? '') + t.text).join('');
}

function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const type = tokens[i]!.type;
    if (type === 'lparen') depth++;
    else if (type === 'rparen' && --depth === 0) return i;
  }
  return -1;
}
