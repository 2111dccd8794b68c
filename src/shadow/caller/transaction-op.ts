/**
 * Recognises SQLite's transaction statements (BEGIN, COMMIT/END, ROLLBACK [TO], SAVEPOINT,
 * RELEASE) from their tokens, so shadow mode knows where a transaction starts and how it ends.
 */
import { isTrivia, tokenize, type Token } from '../../translator/tokenizer';
import type { TransactionOp } from '../../translator/types';

export function transactionOp(sql: string): TransactionOp | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(sql).filter((t) => !isTrivia(t) && t.type !== 'semi');
  } catch {
    return undefined;
  }
  const words = tokens.map((t) => (t.type === 'word' ? t.value : ''));
  const nameAt = (i: number): string | undefined => {
    const t = tokens[i];
    if (!t || (t.type !== 'word' && t.type !== 'qident' && t.type !== 'string')) return undefined;
    return t.type === 'word' ? t.text : t.value;
  };
  switch (words[0]) {
    case 'BEGIN': {
      const mode = words[1] === 'IMMEDIATE' ? 'immediate' : words[1] === 'EXCLUSIVE' ? 'exclusive' : 'deferred';
      return { op: 'begin', mode };
    }
    case 'COMMIT':
    case 'END':
      return { op: 'commit' };
    case 'ROLLBACK': {
      let i = 1;
      if (words[i] === 'TRANSACTION') i++;
      if (words[i] !== 'TO') return { op: 'rollback' };
      i++;
      if (words[i] === 'SAVEPOINT') i++;
      const name = nameAt(i);
      return name === undefined ? undefined : { op: 'rollback_to', name };
    }
    case 'SAVEPOINT': {
      const name = nameAt(1);
      return name === undefined ? undefined : { op: 'savepoint', name };
    }
    case 'RELEASE': {
      const i = words[1] === 'SAVEPOINT' ? 2 : 1;
      const name = nameAt(i);
      return name === undefined ? undefined : { op: 'release', name };
    }
    default:
      return undefined;
  }
}

/** The first keyword of a statement (upper case), or '' when there is none. */
export function firstWord(sql: string): string {
  try {
    const t = tokenize(sql).find((x) => !isTrivia(x));
    return t?.type === 'word' ? t.value : '';
  } catch {
    return '';
  }
}

/** Names the statement calls as functions or reads as tables (for SQLite-only members). */
export function referencedNames(sql: string): Set<string> {
  const names = new Set<string>();
  try {
    for (const t of tokenize(sql)) if (t.type === 'word' || t.type === 'qident') names.add((t.type === 'word' ? t.text : t.value).toLowerCase());
  } catch {
    // unreadable SQL: SQLite refuses it at prepare
  }
  return names;
}
