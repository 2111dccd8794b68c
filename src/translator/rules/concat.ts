/**
 * `a || b`: SQLite's concatenation binds tighter than any other binary operator (`'a' || 1 + 2`
 * is `('a' || 1) + 2`), PostgreSQL's binds looser than + - * /, so each chain is parenthesised.
 * Its operands are text as SQLite writes them: integers as their digits, a REAL as SQLite's text,
 * a comparison or BOOLEAN as 0/1.
 */
import type { Ctx } from '../context';
import { isOp, isSig, isType, prevSig, nextSig, tpl, type Node, type Tpl } from '../nodes';
import { joinArgs, type Call } from './call';
import { operandEnd, operandStart } from './arithmetic';
import { inferType } from '../infer-type';
import { asText, blobAsText } from './sqlite-values';

/** An operand of `||`, concat() or concat_ws() as the text SQLite concatenates. */
export function operandText(operand: Node[], ctx: Ctx): Node[] {
  const s = operand.filter(isSig);
  if (s.length === 1 && isType(s[0], 'param')) {
    if (!s[0].note?.cast) s[0].note = { ...s[0].note, cast: 'text' };
    return operand;
  }
  // A blob concatenates as the text of its bytes (PostgreSQL's bytea || would give a blob).
  if (inferType(operand, ctx) === 'bytea') return [tpl(blobAsText(operand, ctx), 'text')];
  const text = asText(operand, ctx);
  return text.length === 1 && text[0] === operand ? operand : [tpl(text, 'text')];
}

/**
 * concat(...) and concat_ws(sep, ...): each argument (the separator too) is the text SQLite
 * concatenates, as for `||`: a blob its bytes read as text, a REAL SQLite's digits, a comparison
 * 0/1, JSON as stored. NULLs are skipped in both.
 */
export function concatCall(call: Call, ctx: Ctx): Tpl {
  const args = call.args.map((a) => operandText(a, ctx));
  return tpl([`${call.name.toLowerCase()}(`, ...joinArgs(args), ')'], 'text');
}

export function concat(input: Node[], ctx: Ctx): Node[] {
  const nodes = input.slice();
  for (let i = 0; i < nodes.length; i++) {
    if (!isOp(nodes[i], '||')) continue;
    const leftEnd = prevSig(nodes, i);
    if (leftEnd === -1) continue;
    const start = operandStart(nodes, leftEnd);
    const parts: Node[][] = [nodes.slice(start, leftEnd + 1)];
    let end = leftEnd;
    let op = i;
    while (isOp(nodes[op], '||')) {
      const rs = nextSig(nodes, op);
      if (rs === -1) break;
      end = operandEnd(nodes, rs);
      parts.push(nodes.slice(rs, end + 1));
      op = nextSig(nodes, end);
    }
    const pieces: Array<string | Node[]> = ['('];
    parts.forEach((p, k) => pieces.push(...(k > 0 ? [' || '] : []), operandText(p, ctx)));
    pieces.push(')');
    nodes.splice(start, end - start + 1, tpl(pieces, 'text'));
    i = start;
  }
  return nodes;
}
