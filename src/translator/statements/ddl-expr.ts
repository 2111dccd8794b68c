/** Expressions inside DDL (CHECK, DEFAULT, index columns, WHERE): the same rules, 'now' is now(). */
import type { TableInfo } from '../../schema/catalog';
import { fail, type Ctx } from '../context';
import { isType, type Node } from '../nodes';
import { rewrite } from '../rewrite';
import { annotateComparisons } from '../rules/comparisons';
import { emptyScope } from '../scope';

export function ddlExpression(nodes: Node[], table: TableInfo | undefined, ctx: Ctx): Node[] {
  ctx.ddl = true;
  ctx.scope = emptyScope();
  if (table) {
    ctx.scope.entries.push({ alias: table.name.toLowerCase(), table });
    ctx.scope.tables.add(table.name.toLowerCase());
  }
  const hasParam = (list: Node[]): boolean => list.some((n) => isType(n, 'param') || (n.kind === 'group' && hasParam(n.items)));
  if (hasParam(nodes)) fail(ctx, 'a parameter in DDL', 'PostgreSQL cannot bind parameters in CREATE/ALTER statements; write the value as a literal.');
  annotateComparisons(nodes, ctx);
  return rewrite(nodes, ctx);
}
