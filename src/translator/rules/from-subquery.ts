/**
 * A subquery in FROM needs an alias in PostgreSQL before 16; SQLite never asks for one. Each
 * unaliased one gets a name of its own (SQLite's unqualified references to its columns still
 * resolve, and nothing can refer to the generated name).
 */
import type { Ctx } from '../context';
import { isGroup, isType, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
import { isName } from '../scope';
import type { Token } from '../tokenizer';

const counters = new WeakMap<Ctx, number>();
/** Words that end the FROM clause of the current level. */
const FROM_END = ['SELECT', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'RETURNING', 'SET', 'VALUES', 'ON', 'USING'];

function isQuery(n: Node): boolean {
  return isGroup(n) && isWord(n.items[nextSig(n.items, -1)], 'SELECT', 'WITH', 'VALUES');
}

/** The comma at index i separates FROM items (and not select-list items or ON expressions). */
function commaInFrom(nodes: Node[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (isWord(nodes[j], 'FROM', 'JOIN')) return true;
    if (isWord(nodes[j]) && FROM_END.includes((nodes[j] as Token).value)) return false;
  }
  return false;
}

export function fromSubqueryAlias(nodes: Node[], ctx: Ctx): Node[] {
  let out: Node[] | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (!isQuery(n)) continue;
    const p = nodes[prevSig(nodes, i)];
    if (!(isWord(p, 'FROM', 'JOIN') || (isType(p, 'comma') && commaInFrom(nodes, prevSig(nodes, i))))) continue;
    const after = nodes[nextSig(nodes, i)];
    if (isWord(after, 'AS') || isName(after)) continue;
    const k = (counters.get(ctx) ?? 0) + 1;
    counters.set(ctx, k);
    out ??= [...nodes];
    const at = out.indexOf(n);
    out.splice(at + 1, 0, tpl([` AS "sra_from_${k}"`]));
  }
  return out ?? nodes;
}
