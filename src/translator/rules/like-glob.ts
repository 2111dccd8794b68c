/**
 * LIKE is case-insensitive for ASCII letters only in SQLite ('A' LIKE 'a', but not 'Ä' LIKE 'ä')
 * and has no escape character unless ESCAPE names one: both sides are folded with translate() of
 * the 26 ASCII letters, then compared with a case-sensitive `LIKE ... ESCAPE ''` (PostgreSQL's
 * ILIKE and lower() fold every letter of the alphabet the server knows). GLOB is case-sensitive with * ? [...] wildcards: a regular expression,
 * built from the pattern in SQL so that a bound pattern is never inlined.
 */
import type { Ctx } from '../context';
import { inferType } from '../infer-type';
import { isOp, isType, isWord, nextSig, prevSig, sigNodes, tpl, trimTrivia, type Node } from '../nodes';
import { castParam, type Parts } from './call';
import { operandAfter, operandBefore } from './comparisons';
import { asText as valueAsText } from './sqlite-values';
import { asciiLower } from './text-functions';

/** SQL that turns a GLOB pattern into an anchored POSIX regular expression. */
export function globToRegex(pattern: Parts): Parts {
  return [
    "('^' || replace(replace(regexp_replace(regexp_replace(", ...pattern,
    ", '([.+(){}|\\\\$^])', '\\\\\\1', 'g'), '\\[\\\\\\^', '[^', 'g'), '*', '.*'), '?', '.') || '$')",
  ];
}


/** An operand as text: SQLite's LIKE and GLOB read a number as its text (`id LIKE 1`). */
function asText(operand: Node[], ctx: Ctx): Parts {
  const s = sigNodes(operand);
  const plain = s.length === 1 && (isType(s[0], 'string') || (isType(s[0], 'param') && s[0].note?.cast === 'text'));
  const type = plain ? 'text' : inferType(operand, ctx);
  // A blob is matched as the text of its bytes (PostgreSQL's CAST would give its \x hex form).
  if (type === 'bytea') return ["convert_from(", operand, ", 'UTF8')"];
  if (type === 'text') return [operand];
  // A BOOLEAN is 0/1 and a REAL its SQLite text, as SQLite stored and prints them.
  return type === undefined ? ['CAST(', operand, ' AS text)'] : valueAsText(operand, ctx);
}

export function likeGlob(nodes: Node[], ctx: Ctx): Node[] {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (!isWord(n, 'LIKE', 'GLOB', 'REGEXP')) continue;
    const p = prevSig(nodes, i);
    const negated = isWord(nodes[p], 'NOT');
    const opStart = negated ? p : i;
    let left = operandBefore(nodes, opStart);
    let leftStart = opStart - left.length;
    // < <= > >= bind tighter than LIKE in SQLite (`0 > 1 NOT LIKE 'a%'` tests the comparison's 0/1),
    // looser in PostgreSQL: the comparison is the operand.
    for (let q = prevSig(nodes, leftStart); q !== -1 && isOp(nodes[q], '<', '<=', '>', '>='); q = prevSig(nodes, leftStart)) {
      leftStart = q - operandBefore(nodes, q).length;
      left = nodes.slice(leftStart, opStart);
    }
    const rightAll = operandAfter(nodes, i, 'ESCAPE');
    const right = trimTrivia(rightAll);
    const rightEnd = i + 1 + rightAll.length - (rightAll.length - rightAll.indexOf(right[right.length - 1]) - 1);
    const hasEscape = isWord(nodes[nextSig(nodes, rightEnd - 1)], 'ESCAPE');
    // better-sqlite3's SQLite is built with SQLITE_LIKE_DOESNT_MATCH_BLOBS: LIKE and GLOB with a blob
    // value on either side (a Buffer bound too) are false (whatever the other side, NULL too); a
    // NULL blob is NULL.
    const blobs = n.value === 'REGEXP' ? [] : [left, right].filter((x) => inferType(x, ctx) === 'bytea');
    for (const x of [left, right]) if (!blobs.includes(x)) castParam(x, 'text');
    const leftParts = asText(left, ctx);
    const rightParts = asText(right, ctx);
    let replaced: Parts;
    const blob = blobs.length > 0;
    const others = [left, right].filter((x) => !blobs.includes(x));
    const constant = negated ? 'true' : 'false';
    if (blob) {
      replaced = ['(CASE'];
      for (const b of blobs) replaced.push(' WHEN ', b, ` IS NOT NULL THEN ${constant}`);
      for (const o of others) replaced.push(' WHEN ', o, ' IS NULL THEN NULL');
      replaced.push(' ELSE NULL END)');
    }
    else if (n.value === 'LIKE') replaced = [...asciiLower(leftParts), negated ? ' NOT LIKE ' : ' LIKE ', ...asciiLower(rightParts), hasEscape ? ' ' : " ESCAPE ''"];
    else if (n.value === 'GLOB') replaced = [...leftParts, negated ? ' !~ ' : ' ~ ', ...globToRegex(rightParts)];
    else replaced = [...leftParts, negated ? ' !~ ' : ' ~ ', ...rightParts];
    let end = rightEnd;
    if (n.value === 'LIKE' && hasEscape) {
      // The escape character is folded as the pattern is, so `ESCAPE 'X'` still finds its 'x'.
      const escapeAt = nextSig(nodes, rightEnd - 1);
      const charAt = nextSig(nodes, escapeAt);
      if (charAt !== -1) {
        if (!blob) replaced.push(' ESCAPE ', ...asciiLower([[nodes[charAt]!]]));
        end = charAt + 1;
      }
    }
    const out = tpl(replaced, 'boolean');
    nodes = [...nodes.slice(0, leftStart), out, ...nodes.slice(end)];
    i = leftStart;
  }
  return nodes;
}
