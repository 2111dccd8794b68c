/** SELECT, INSERT, UPDATE, DELETE (and WITH ... of each): the expression rules plus the statement's own. */
import { findTable } from '../../schema/catalog';
import { fail, type Ctx } from '../context';
import { isOp, isWord, nextSig, type Node } from '../nodes';
import { rewrite } from '../rewrite';
import { annotateComparisons } from '../rules/comparisons';
import { collectScope, isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import type { StatementKind } from '../types';
import { annotateInsertSelect, annotateRows, annotateSet } from './assignments';
import { applyConflictClause } from './insert';
import { readInsert, valuesRows } from './insert-parts';
import { applyResultNames, readResultNames } from './result-names';

export interface DmlResult {
  nodes: Node[];
  kind: StatementKind;
  reader: boolean;
  ordered: boolean;
  columnNames?: string[];
  jsonScalarColumns?: number[];
}

/** The statement's verb: the first top-level INSERT/REPLACE/UPDATE/DELETE/SELECT/VALUES after any WITH. */
export function dmlKind(nodes: Node[]): StatementKind {
  for (const n of nodes) {
    if (isWord(n, 'INSERT', 'REPLACE')) return 'insert';
    if (isWord(n, 'UPDATE')) return 'update';
    if (isWord(n, 'DELETE')) return 'delete';
    if (isWord(n, 'SELECT', 'VALUES')) return 'select';
  }
  return 'select';
}

function annotate(nodes: Node[], kind: StatementKind, ctx: Ctx): void {
  if (kind === 'insert') {
    const parts = readInsert(nodes, ctx);
    if (parts.table) {
      const rows = valuesRows(nodes, parts);
      if (rows) annotateRows(rows, parts.columns, parts.table, ctx);
      else annotateInsertSelect(nodes, parts.sourceAt, parts.sourceEnd, parts.columns, parts.table, ctx);
      const set = nodes.findIndex((n, i) => i >= parts.sourceEnd && isWord(n, 'SET'));
      if (set !== -1) {
        ctx.scope.entries.unshift({ alias: 'excluded', table: parts.table });
        annotateSet(nodes, set, parts.table, ctx);
      }
    }
  }
  if (kind === 'update') {
    let at = nextSig(nodes, nodes.findIndex((n) => isWord(n, 'UPDATE')));
    if (isWord(nodes[at], 'OR')) {
      const action = (nodes[nextSig(nodes, at)] as Token).value;
      if (action !== 'ABORT' && action !== 'FAIL') fail(ctx, `UPDATE OR ${action}`, 'only a plain UPDATE (ABORT/FAIL) is supported.');
      (nodes[at] as Token).note = { replace: '' };
      (nodes[nextSig(nodes, at)] as Token).note = { replace: '' };
      at = nextSig(nodes, nextSig(nodes, at));
    }
    if (isOp(nodes[nextSig(nodes, at)], '.')) at = nextSig(nodes, nextSig(nodes, at));
    const table = isName(nodes[at]) ? findTable(ctx.catalog, nameOf(nodes[at] as Token)) : undefined;
    const set = nodes.findIndex((n) => isWord(n, 'SET'));
    if (table && set !== -1) annotateSet(nodes, set, table, ctx);
  }
  if ((kind === 'update' || kind === 'delete') && nodes.some((n) => isWord(n, 'LIMIT'))) {
    fail(ctx, `${kind.toUpperCase()} ... LIMIT`, 'PostgreSQL has no LIMIT on UPDATE/DELETE; select the keys in a subquery.');
  }
  annotateComparisons(nodes, ctx);
}

export function translateDml(tree: Node[], ctx: Ctx): DmlResult {
  const kind = dmlKind(tree);
  ctx.kind = kind;
  ctx.scope = collectScope(tree, ctx.catalog);
  annotate(tree, kind, ctx);
  const names = readResultNames(tree, ctx);
  let nodes = rewrite(tree, ctx);
  if (kind === 'insert') nodes = applyConflictClause(nodes, ctx);
  const named = names ? applyResultNames(nodes, names, ctx) : { nodes };
  return {
    nodes: named.nodes,
    kind,
    reader: kind === 'select' || nodes.some((n) => isWord(n, 'RETURNING')),
    ordered: hasTopLevelOrderBy(tree),
    columnNames: named.columnNames,
    ...(names && names.jsonScalar.length > 0 ? { jsonScalarColumns: names.jsonScalar } : {}),
  };
}

function hasTopLevelOrderBy(nodes: Node[]): boolean {
  return nodes.some((n, i) => isWord(n, 'ORDER') && isWord(nodes[nextSig(nodes, i)], 'BY'));
}

