/** `sqlite_master` / `sqlite_schema` lookups read the PostgreSQL schema's catalog instead. */
import type { Ctx } from '../context';
import { isType, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import { sqliteMasterSql } from '../sqlite-types';
import type { Token } from '../tokenizer';

const NAMES = new Set(['sqlite_master', 'sqlite_schema', 'sqlite_temp_master', 'sqlite_temp_schema']);

export function sqliteMaster(nodes: Node[], ctx: Ctx): Node[] {
  return nodes.flatMap((n, i) => {
    if (!isName(n) || !NAMES.has(nameOf(n as Token).toLowerCase())) return [n];
    const before = nodes[prevSig(nodes, i)];
    if (!isWord(before, 'FROM', 'JOIN') && !isType(before, 'comma')) return [n];
    const after = nodes[nextSig(nodes, i)];
    const aliased = isWord(after, 'AS') || (isName(after) && !isWord(after, 'WHERE'));
    return [tpl([sqliteMasterSql(ctx.catalog.schema), aliased ? '' : ` AS ${nameOf(n as Token).toLowerCase()}`])];
  });
}
