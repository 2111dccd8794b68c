/**
 * splitStatements: db.exec() takes several statements; PostgreSQL's extended protocol runs one at
 * a time. Splits at top-level semicolons found by the tokenizer (never inside a literal, a quoted
 * name or a comment), and keeps a CREATE TRIGGER body (BEGIN ... END, whose statements end with
 * semicolons too) in one piece. Pieces with only whitespace and comments are dropped.
 */
import { tokenize, type Token } from './tokenizer';

function words(tokens: Token[]): string[] {
  return tokens.filter((t) => t.type === 'word').map((t) => t.value);
}

export function splitStatements(sql: string): string[] {
  const tokens = tokenize(sql);
  const out: string[] = [];
  let start = 0;
  let current: Token[] = [];
  let depth = 0; // BEGIN/CASE ... END nesting inside a trigger body
  let inTrigger = false;
  const flush = (end: number): void => {
    const text = sql.slice(start, end);
    if (current.some((t) => t.type !== 'ws' && t.type !== 'comment' && t.type !== 'semi')) out.push(text.trim());
    current = [];
  };
  for (const t of tokens) {
    if (current.length === 0) start = t.start;
    current.push(t);
    if (t.type === 'word') {
      const w = words(current);
      if (!inTrigger && w[0] === 'CREATE' && w.slice(1, 4).includes('TRIGGER')) inTrigger = true;
      if (inTrigger && (t.value === 'BEGIN' || t.value === 'CASE')) depth++;
      if (inTrigger && t.value === 'END' && depth > 0) depth--;
    }
    if (t.type === 'semi' && (!inTrigger || depth === 0)) {
      flush(t.start);
      inTrigger = false;
    }
  }
  if (current.length > 0) flush(sql.length);
  return out;
}
