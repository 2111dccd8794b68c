/**
 * Finds function calls (a name followed by parentheses that is not a table, a CTE or a keyword)
 * and rewrites each with its rule from the function table; an unknown function is an error that
 * names it, so nothing reaches PostgreSQL that might mean something else there.
 */
import { fail, type Ctx } from '../context';
import { NOT_FUNCTIONS } from '../keywords';
import { isGroup, isOp, isWord, nextSig, prevSig, tpl, type Group, type Node } from '../nodes';
import { isName } from '../scope';
import type { Token } from '../tokenizer';
import { makeCall } from './call';
import { castExpression } from './cast';
import { currentTime } from './datetime';
import { FUNCTION_RULES } from './function-table';
import { jsonEach } from './json-each';

/**
 * A call in `nodes` (at any depth) that functionCalls would refuse as unknown: for nodes that are
 * dropped before the rules run (an assignment a later one overrides), which SQLite still prepares.
 */
export function unknownCall(nodes: Node[]): Token | undefined {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (isGroup(n)) {
      const found = unknownCall(n.items);
      if (found) return found;
      continue;
    }
    if (!isWord(n) || !isGroup(nodes[nextSig(nodes, i)]) || n.value === 'CAST' || NOT_FUNCTIONS.has(n.value) || isTableOrCte(nodes, i)) continue;
    if (n.value === 'FILTER' || n.value === 'OVER' || n.value === 'JSON_EACH' || n.value === 'JSON_TREE') continue;
    if (!FUNCTION_RULES.has(n.value)) return n;
  }
  return undefined;
}

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
    const tailEnd = windowTailEnd(nodes, g);
    out.push(rewriteCall(nodes, i, g, tailEnd, ctx));
    i = tailEnd;
  }
  return out;
}

/** The last index of `FILTER (...)` and `OVER (...)`/`OVER name` after a call's parentheses (g if none). */
function windowTailEnd(nodes: Node[], g: number): number {
  let end = g;
  const f = nextSig(nodes, end);
  if (isWord(nodes[f], 'FILTER') && isGroup(nodes[nextSig(nodes, f)])) end = nextSig(nodes, f);
  const o = nextSig(nodes, end);
  if (isWord(nodes[o], 'OVER') && nextSig(nodes, o) !== -1) end = nextSig(nodes, o);
  return end;
}

function rewriteCall(nodes: Node[], i: number, g: number, tailEnd: number, ctx: Ctx): Node {
  const call = makeCall(nodes[i] as Token, nodes[g] as Group);
  if (tailEnd > g) {
    call.windowed = true;
    call.tail = nodes.slice(nextSig(nodes, g), tailEnd + 1);
  }
  const out = callRule(nodes, call, g, ctx);
  // A rule that did not place FILTER/OVER itself: they follow its call, as written.
  return call.tail && !call.tailPlaced ? tpl([out, ' ', call.tail], out.kind === 'tpl' ? out.type : undefined) : out;
}

function callRule(nodes: Node[], call: ReturnType<typeof makeCall>, g: number, ctx: Ctx): Node {
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
