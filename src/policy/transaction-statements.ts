/**
 * Recognises SQLite's transaction statements (BEGIN, COMMIT/END, ROLLBACK [TO], SAVEPOINT,
 * RELEASE) from their tokens, without translating them: shadow mode knows from it where a
 * transaction starts and how it ends, on the caller's thread.
 */
import { isTrivia, tokenize, type Token } from '../translator/tokenizer';
import type { TransactionOp } from '../translator';

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
