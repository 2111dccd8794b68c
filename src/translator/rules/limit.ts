/**
 * LIMIT: a negative limit means "no limit" in SQLite (PostgreSQL rejects it), a negative offset
 * means 0, and `LIMIT a, b` means OFFSET a LIMIT b. A bound limit is clamped in SQL.
 */
import type { Ctx } from '../context';
import { isOp, isType, isWord, sigNodes, tpl, trimTrivia, type Node } from '../nodes';
import { castParam } from './call';
import { INTEGER_OPERAND } from '../types';
import type { Token } from '../tokenizer';

function until(nodes: Node[], from: number, stop: (n: Node) => boolean): number {
  let j = from;
  while (j < nodes.length && !stop(nodes[j])) j++;
  return j;
}

/**
 * `LIMIT NULL` is SQLITE_MISMATCH in SQLite; a negative count is PostgreSQL's error for it
 * (2201W/2201X, mapped to SQLITE_MISMATCH "datatype mismatch").
 */
function nullLiteral(expr: Node[]): boolean {
  const s = sigNodes(expr);
  return s.length === 1 && isWord(s[0], 'NULL');
}

function limitExpr(expr: Node[], pair: string): Node[] {
  const s = sigNodes(expr);
  if (nullLiteral(expr)) return [tpl(['-1'])];
  if (s.length === 2 && isOp(s[0], '-') && isType(s[1], 'number')) return [tpl(['ALL'])];
  if (s.length === 1 && isType(s[0], 'number')) return expr;
  integerOperand(expr, 'LIMIT', pair);
  return [tpl(['NULLIF(GREATEST(', expr, ', -1), -1)'])];
}

function offsetExpr(expr: Node[], afterZeroLimit: boolean, pair: string): Node[] {
  const s = sigNodes(expr);
  // SQLite stops at a LIMIT of 0 before it reads the OFFSET (LIMIT 0 OFFSET 'x' is no error).
  if (afterZeroLimit) return [tpl(['0'])];
  if (nullLiteral(expr)) return [tpl(['-1'])];
  if (s.length === 1 && isType(s[0], 'number')) return expr;
  if (s.length === 2 && isOp(s[0], '-') && isType(s[1], 'number')) return [tpl(['0'])];
  integerOperand(expr, 'OFFSET', pair);
  return [tpl(['GREATEST(', expr, ', 0)'])];
}

/** A bare parameter is bound as SQLite reads a LIMIT: an integer, or SQLITE_MISMATCH. */
function integerOperand(expr: Node[], clause: 'LIMIT' | 'OFFSET', pair: string): void {
  const s = sigNodes(expr);
  // The type of the value bound (translate's valueClasses) does not apply: SQLite reads an integer.
  if (s.length === 1 && isType(s[0], 'param') && s[0].note?.cast && s[0].note.cast === s[0].note.valueType) s[0].note = { ...s[0].note, cast: undefined };
  castParam(expr, 'bigint');
  if (s.length === 1 && isType(s[0], 'param') && !s[0].note?.target) {
    // The binder reads the clause: a bound OFFSET is not checked when the bound LIMIT is 0.
    s[0].note = { ...s[0].note, target: { table: pair, column: clause, type: INTEGER_OPERAND } };
  }
}

export function limit(nodes: Node[], _ctx: Ctx): Node[] {
  const at = nodes.findIndex((n) => isWord(n, 'LIMIT'));
  if (at === -1) return nodes;
  const end = until(nodes, at + 1, (n) => isType(n, 'semi'));
  const body = nodes.slice(at + 1, end);
  const comma = body.findIndex((n) => isType(n, 'comma'));
  const offsetAt = body.findIndex((n) => isWord(n, 'OFFSET'));
  let lim: Node[];
  let off: Node[] | undefined;
  if (comma !== -1) {
    off = trimTrivia(body.slice(0, comma));
    lim = trimTrivia(body.slice(comma + 1));
  } else if (offsetAt !== -1) {
    lim = trimTrivia(body.slice(0, offsetAt));
    off = trimTrivia(body.slice(offsetAt + 1));
  } else lim = trimTrivia(body);
  // The LIMIT's place in the source pairs its bound value with its OFFSET's (ParamSlot.targetColumn.table).
  const pair = `LIMIT@${(nodes[at] as Token).start}`;
  const out: Node[] = [tpl([' ']), ...limitExpr(lim, pair)];
  const limSig = sigNodes(lim);
  const zeroLimit = limSig.length === 1 && isType(limSig[0], 'number') && Number(limSig[0].text) === 0;
  if (off) out.push(tpl([' OFFSET ']), ...offsetExpr(off, zeroLimit, pair));
  return [...nodes.slice(0, at + 1), ...out, ...nodes.slice(end)];
}
