/**
 * Finds function calls (a name followed by parentheses that is not a table, a CTE or a keyword)
 * and rewrites each with its rule from the function table; an unknown function is an error that
 * names it, so nothing reaches PostgreSQL that might mean something else there.
 */
import { fail, type Ctx } from '../context';
import { NOT_FUNCTIONS } from '../keywords';
import { isGroup, isOp, isWord, nextSig, prevSig, type Group, type Node } from '../nodes';
import { isName } from '../scope';
import type { Token } from '../tokenizer';
import { makeCall } from './call';
import { castExpression } from './cast';
import { currentTime } from './datetime';
import { FUNCTION_RULES } from './function-table';
import { jsonEach } from './json-each';

function isTableOrCte(nodes: Node[], i: number): boolean {
  const p = prevSig(nodes, i);
  if (isWord(nodes[p], 'INTO', 'TABLE', 'REFERENCES') || isOp(nodes[p], '.')) return true;
  if (isWord(nodes[p], 'EXISTS') && isWord(nodes[prevSig(nodes, p)], 'NOT')) return true; // IF NOT EXISTS t(...)
  const after = nextSig(nodes, nextSig(nodes, i));
  return isWord(nodes[after], 'AS') && isGroup(nodes[nextSig(nodes, after)]); // WITH t(a, b) AS (...)
}

export function functionCalls(nodes: Node[], ctx: Ctx): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const g = nextSig(nodes, i);
    if (isWord(n, 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME')) {
      out.push(currentTime(n, ctx));
      continue;
    }
    if (!isWord(n) || !isGroup(nodes[g])) {
      out.push(n);
      continue;
    }
    if (n.value === 'CAST') {
      out.push(castExpression(nodes[g] as Group, ctx));
      i = g;
      continue;
    }
    if ((NOT_FUNCTIONS.has(n.value) && n.value !== 'REPLACE') || isTableOrCte(nodes, i)) {
      out.push(n);
      continue;
    }
    out.push(rewriteCall(nodes, i, g, ctx));
    i = g;
  }
  return out;
}

function rewriteCall(nodes: Node[], i: number, g: number, ctx: Ctx): Node {
  const call = makeCall(nodes[i] as Token, nodes[g] as Group);
  if (isWord(nodes[nextSig(nodes, g)], 'OVER', 'FILTER')) call.windowed = true;
  if (call.name === 'JSON_EACH' || call.name === 'JSON_TREE') {
    const after = nodes[nextSig(nodes, g)];
    return jsonEach(call, ctx, isWord(after, 'AS') || isName(after) ? 'given' : undefined);
  }
  const rule = FUNCTION_RULES.get(call.name);
  if (!rule) {
    return fail(ctx, `the function ${call.word.text}()`, 'PostgreSQL has no function with the same meaning known to the translator; add an override (REGISTRY_SQL_OVERRIDES).');
  }
  return rule(call, ctx);
}
