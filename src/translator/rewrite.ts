/**
 * The expression rules, applied to every parenthesis level from the innermost out. Each rule is a
 * function over one level's nodes; the list order is the order they run in.
 */
import type { Ctx } from './context';
import type { Node } from './nodes';
import { collate } from './rules/collate';
import { functionCalls } from './rules/function-calls';
import { isDistinct } from './rules/is-distinct';
import { jsonArrows } from './rules/json-arrows';
import { likeGlob } from './rules/like-glob';
import { limit } from './rules/limit';
import { orderBy } from './rules/order-by';
import { paramCasts } from './rules/param-casts';
import { dropMainQualifier } from './rules/qualifiers';
import { sqliteMaster } from './rules/sqlite-master';
import { subqueryAlias } from './rules/subquery-alias';

type ListRule = (nodes: Node[], ctx: Ctx) => Node[];

const RULES: ListRule[] = [
  dropMainQualifier, // main.t is t: the registry has one database
  sqliteMaster, // the catalog lives in pg_catalog
  subqueryAlias, // PostgreSQL 14 and 15 need an alias on a FROM subquery
  functionCalls, // SQLite functions → PostgreSQL expressions
  jsonArrows, // -> and ->> take SQLite paths
  isDistinct, // IS compares NULL-safely
  likeGlob, // LIKE is case-insensitive, GLOB is a wildcard match
  collate, // NOCASE and BINARY collations
  paramCasts, // untyped parameters
  orderBy, // NULLs first ascending, byte order for text
  limit, // LIMIT -1 and LIMIT a, b
];

export function rewrite(nodes: Node[], ctx: Ctx): Node[] {
  const inner = nodes.map((n): Node => (n.kind === 'group' ? { ...n, items: rewrite(n.items, ctx) } : n));
  return RULES.reduce((acc, rule) => rule(acc, ctx), inner);
}
