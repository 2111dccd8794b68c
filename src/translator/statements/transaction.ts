/**
 * BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE: the backend runs these itself (BEGIN IMMEDIATE and
 * EXCLUSIVE take its writer lock), so the translation names the operation; the text is the
 * PostgreSQL equivalent for a backend that just sends it.
 */
import { fail, quoteIdent, type Ctx } from '../context';
import { isWord, sigNodes, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import type { TransactionOp } from '../types';
import type { TransactionMode } from '../../contracts';

export function translateTransaction(tree: Node[], ctx: Ctx): { op: TransactionOp; text: string } {
  const words = sigNodes(tree).filter((n) => !isWord(n, 'TRANSACTION'));
  const verb = (words[0] as Token).value;
  const name = (w: Node | undefined): string => {
    if (!isName(w)) fail(ctx, verb, 'a savepoint name is missing.');
    return nameOf(w as Token);
  };
  switch (verb) {
    case 'BEGIN': {
      const mode = isWord(words[1], 'IMMEDIATE', 'EXCLUSIVE', 'DEFERRED') ? (words[1].value.toLowerCase() as TransactionMode) : 'deferred';
      return { op: { op: 'begin', mode }, text: 'BEGIN' };
    }
    case 'COMMIT':
    case 'END':
      return { op: { op: 'commit' }, text: 'COMMIT' };
    case 'ROLLBACK': {
      if (!isWord(words[1], 'TO')) return { op: { op: 'rollback' }, text: 'ROLLBACK' };
      const n = name(isWord(words[2], 'SAVEPOINT') ? words[3] : words[2]);
      return { op: { op: 'rollback_to', name: n }, text: `ROLLBACK TO SAVEPOINT ${quoteIdent(n)}` };
    }
    case 'SAVEPOINT': {
      const n = name(words[1]);
      return { op: { op: 'savepoint', name: n }, text: `SAVEPOINT ${quoteIdent(n)}` };
    }
    case 'RELEASE': {
      const n = name(isWord(words[1], 'SAVEPOINT') ? words[2] : words[1]);
      return { op: { op: 'release', name: n }, text: `RELEASE SAVEPOINT ${quoteIdent(n)}` };
    }
    default:
      return fail(ctx, verb, 'not a transaction statement.');
  }
}
