/**
 * The expression rules, applied to every parenthesis level from the innermost out. Each rule is a
 * function over one level's nodes; the list order is the order they run in.
 */
import type { Ctx } from './context';
import type { Node } from './nodes';
import { withLevel } from './scope';
import { arithmetic } from './rules/arithmetic';
import { branchClasses } from './rules/branch-classes';
import { byteOrder } from './rules/byte-order';
import { collate } from './rules/collate';
import { comparisonChains } from './rules/comparison-chains';
import { emptyIn } from './rules/empty-in';
import { fromSubqueryAlias } from './rules/from-subquery';
import { conditions } from './rules/conditions';
import { concat } from './rules/concat';
import { functionCalls } from './rules/function-calls';
import { isDistinct } from './rules/is-distinct';
import { jsonArrows } from './rules/json-arrows';
import { likeGlob } from './rules/like-glob';
import { noAffinityComparisons } from './rules/no-affinity';
import { limit } from './rules/limit';
import { orderBy } from './rules/order-by';
import { shifts } from './rules/shifts';
import { unaryPlus } from './rules/unary-plus';
import { jsonSubqueries } from './rules/json-subqueries';
import { derivedJsonRefs } from './rules/derived-json-refs';
import { paramCasts } from './rules/param-casts';
import { dropMainQualifier } from './rules/qualifiers';
import { hiddenRowid, markOrderedAggregates, rowidOrder } from './rules/rowid';
import { sqliteMaster } from './rules/sqlite-master';
import { storedAfterRewrite } from './rules/stored-class';
import { surelyNullValues } from './rules/surely-null';

type ListRule = (nodes: Node[], ctx: Ctx) => Node[];

const RULES: ListRule[] = [
  surelyNullValues, // a CASE, IIF, COALESCE ... that is NULL whatever the row is the NULL literal
  storedAfterRewrite, // a value stored into a TEXT column, typed once rewritten: SQLite's text of it
  branchClasses, // a value bound beside CASE branches or compound columns of another class: refused at bind
  dropMainQualifier, // main.t is t: the registry has one database
  sqliteMaster, // the catalog lives in pg_catalog
  hiddenRowid, // `*` without the hidden rowid; which queries come in rowid order
  fromSubqueryAlias, // a FROM subquery has a name (PostgreSQL < 16 requires one)
  derivedJsonRefs, // a json_extract()/->> column of a subquery or CTE read as SQLite's value
  jsonSubqueries, // JSON leaves a FROM subquery or a CTE as SQLite's text
  emptyIn, // x IN () is false, x NOT IN () true
  unaryPlus, // +x is x, whatever its type
  functionCalls, // SQLite functions → PostgreSQL expressions
  jsonArrows, // -> and ->> take SQLite paths
  isDistinct, // IS compares NULL-safely
  likeGlob, // LIKE is case-insensitive, GLOB is a wildcard match
  collate, // NOCASE and BINARY collations
  concat, // || binds tightest; numbers concatenate as SQLite's text
  arithmetic, // SQLite's integer/real arithmetic, NULL for division by zero
  shifts, // << and >> read integers, shift the other way for a negative amount, 0 from 64 on
  comparisonChains, // a comparison compared again is its 0/1 (a = b = c)
  conditions, // a number as a condition is compared with 0
  noAffinityComparisons, // json_extract()/->> and untyped columns compare by SQLite's storage class
  paramCasts, // untyped parameters
  byteOrder, // text built from literals compares and sorts by byte
  orderBy, // NULLs first ascending, byte order for text
  limit, // LIMIT -1 and LIMIT a, b
  rowidOrder, // a one-table query in rowid order, as SQLite's table scan
];

export function rewrite(nodes: Node[], ctx: Ctx): Node[] {
  const depth = ctx.depth ?? 0;
  ctx.depth = depth + 1;
  markOrderedAggregates(nodes, ctx);
  const inner = nodes.map((n): Node => (n.kind === 'group' ? { ...n, items: withLevel(ctx, n.items, () => rewrite(n.items, ctx)) } : n));
  ctx.depth = depth;
  return RULES.reduce((acc, rule) => rule(acc, ctx), inner);
}
