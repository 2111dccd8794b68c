/** A best-effort static type of an expression: enough to know whether it is text, boolean, JSON... */
import type { PgColumnType } from '../schema/catalog';
import type { Ctx } from './context';
import { isGroup, isOp, isType, isWord, sigNodes, type Node } from './nodes';
import { resolveColumn } from './scope';

const TEXT_FUNCTIONS = new Set(['LOWER', 'UPPER', 'TRIM', 'LTRIM', 'RTRIM', 'BTRIM', 'REPLACE', 'SUBSTR', 'SUBSTRING', 'CONCAT', 'CONCAT_WS', 'HEX', 'CHR']);

export function inferType(nodes: Node[], ctx: Ctx): PgColumnType | undefined {
  const s = sigNodes(nodes);
  if (s.length === 0) return undefined;
  if (s.some((n) => isOp(n, '||'))) return 'text';
  if (s.length === 1) {
    const n = s[0];
    if (n.kind === 'tpl') return n.type;
    if (isType(n, 'string')) return 'text';
    if (isType(n, 'blob')) return 'bytea';
    if (isType(n, 'number')) return /^\d+$/.test(n.text) ? 'bigint' : 'double precision';
    if (isGroup(n)) return inferType(n.items, ctx);
  }
  if (s.length === 2 && isWord(s[0]) && isGroup(s[1]) && TEXT_FUNCTIONS.has(s[0].value)) return 'text';
  return resolveColumn(nodes, ctx.scope)?.column.type;
}
