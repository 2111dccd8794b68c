/**
 * `x -> p` and `x ->> p` (SQLite 3.38): p is a path ('$.a'), an object key ('a') or an array index.
 * `->` gives JSON (jsonb here), `->>` the SQL value (text here, see json_extract).
 */
import type { Ctx } from '../context';
import { isGroup, isOp, isType, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
import { isName } from '../scope';
import type { Token } from '../tokenizer';
import { castParam, stringLiteral, type Parts } from './call';
import { jsonbOf, jsonValueOf, pgPath, sqliteJsonValue } from './json-path';

/** Start index of the primary expression that ends at index end (a name, a.b, f(...), a group). */
export function primaryStart(nodes: Node[], end: number): number {
  let i = end;
  // `CASE ... END -> p`: the whole CASE is the operand.
  if (isWord(nodes[i], 'END')) {
    for (let depth = 0; i >= 0; i--) {
      if (isWord(nodes[i], 'END')) depth++;
      else if (isWord(nodes[i], 'CASE') && --depth === 0) return i;
    }
    return end;
  }
  if (isGroup(nodes[i]) && isWord(nodes[prevSig(nodes, i)])) i = prevSig(nodes, i);
  while (isName(nodes[i]) && isOp(nodes[prevSig(nodes, i)], '.') && isName(nodes[prevSig(nodes, prevSig(nodes, i))])) {
    i = prevSig(nodes, prevSig(nodes, i));
  }
  return i;
}

/** End index of the primary expression that starts at index start. */
export function primaryEnd(nodes: Node[], start: number): number {
  let i = start;
  if (isWord(nodes[i]) && isGroup(nodes[nextSig(nodes, i)])) return nextSig(nodes, i);
  while (isName(nodes[i]) && isOp(nodes[nextSig(nodes, i)], '.') && isName(nodes[nextSig(nodes, nextSig(nodes, i))])) {
    i = nextSig(nodes, nextSig(nodes, i));
  }
  return i;
}

export function jsonArrows(nodes: Node[], ctx: Ctx): Node[] {
  for (let i = 0; i < nodes.length; i++) {
    if (!isOp(nodes[i], '->', '->>')) continue;
    const op = (nodes[i] as { text: string }).text;
    const leftEnd = prevSig(nodes, i);
    const rightAt = nextSig(nodes, i);
    if (leftEnd === -1 || rightAt === -1) continue;
    const leftStart = primaryStart(nodes, leftEnd);
    let rightEnd = rightAt;
    if (isType(nodes[rightAt], 'op') && isType(nodes[nextSig(nodes, rightAt)], 'number')) rightEnd = nextSig(nodes, rightAt); // -1
    const left = nodes.slice(leftStart, leftEnd + 1);
    const right = nodes.slice(rightAt, rightEnd + 1);
    const doc = jsonbOf(left, ctx);
    const literal = stringLiteral(right);
    let v: Parts;
    if (literal !== undefined && literal.startsWith('$')) v = ['(', ...doc, ' #> ', ...pgPath(right, ctx, op), ')'];
    else {
      castParam(right, 'text'); // a bound key
      v = ['(', ...doc, ' -> ', right, ')'];
    }
    const scalar = (nodes[i] as Token).note?.jsonScalar === true; // a whole result column: shaped as SQLite's value
    if (op === '->>') v = ['(', ...jsonValueOf(v), ')'];
    const out = op === '->' || scalar ? { ...tpl(v, 'jsonb'), ...(scalar ? { jsonScalar: true } : {}) } : { ...tpl(['(', ...sqliteJsonValue(v, ctx), ')'], 'text'), jsonValue: v };
    nodes = [...nodes.slice(0, leftStart), out, ...nodes.slice(rightEnd + 1)];
    i = leftStart;
  }
  return nodes;
}
