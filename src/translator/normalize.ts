/**
 * normalizeStatement: the key of REGISTRY_SQL_OVERRIDES — comments dropped, runs of whitespace
 * outside literals collapsed to one space, no space at either end, trailing semicolons dropped.
 * Literals, quoted names and the case of everything are kept (they can change the meaning).
 * fingerprint: a short stable hash of the statement with literals and parameters replaced by `?`
 * and IN lists collapsed, so one statement shape is one fingerprint in divergence logs.
 */
import { createHash } from 'node:crypto';
import { tokenize, type Token } from './tokenizer';

function significant(sql: string): Token[] {
  const tokens = tokenize(sql);
  let end = tokens.length;
  while (end > 0 && ['ws', 'comment', 'semi'].includes(tokens[end - 1].type)) end--;
  return tokens.slice(0, end);
}

function joinTokens(tokens: Token[], text: (t: Token) => string): string {
  let out = '';
  for (const t of tokens) {
    if (t.type === 'ws' || t.type === 'comment') {
      if (out !== '' && !out.endsWith(' ')) out += ' ';
    } else out += text(t);
  }
  return out.trim();
}

export function normalizeStatement(sql: string): string {
  try {
    return joinTokens(significant(sql), (t) => t.text);
  } catch {
    return sql.trim().replace(/\s+/g, ' '); // untokenizable SQL: still a usable key
  }
}

export function fingerprint(sql: string): string {
  let shape: string;
  try {
    shape = joinTokens(significant(sql), (t) => {
      if (t.type === 'string' || t.type === 'number' || t.type === 'blob' || t.type === 'param') return '?';
      if (t.type === 'word') return t.value;
      if (t.type === 'comma') return ', ';
      return t.text;
    });
  } catch {
    shape = sql.trim().replace(/\s+/g, ' ');
  }
  shape = shape.replace(/\(\s*\?(\s*,\s*\?)*\s*\)/g, '(?)').replace(/\s+/g, ' ');
  return createHash('sha1').update(shape).digest('hex').slice(0, 16);
}
