/** SELECT, INSERT, UPDATE, DELETE (and WITH ... of each): the expression rules plus the statement's own. */
import { findColumn, findTable, type TableInfo } from '../../schema/catalog';
import { nextRowidSql } from '../../schema/rowid';
import { sqliteError } from '../../adapter/errors';
import { fail, quoteIdent, type Ctx } from '../context';
import { isGroup, isOp, isType, isWord, nextSig, prevSig, sigNodes, splitCommas, tpl, trimTrivia, type Group, type Node } from '../nodes';
import { rewrite } from '../rewrite';
import { annotateComparisons } from '../rules/comparisons';
import { concatPrecedence } from '../rules/concat-precedence';
import { widenIntegerLiterals } from '../rules/integer-literals';
import { collectScope, isName, levelScope, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import type { StatementKind } from '../types';
import { annotateInsertSelect, annotateRows, annotateSet } from './assignments';
import { applyConflictClause } from './insert';
import { readInsert, valuesRows, writeInsertColumns } from './insert-parts';
import { inlineAliasReferences, quoteAliases } from './aliases';
import { markEchoColumns } from './echo-columns';
import { markDerivedJson } from './derived-json';
import { applyResultNames, readResultNames } from './result-names';
import { renameRowidReferences } from './rowid-names';

export interface DmlResult {
  nodes: Node[];
  kind: StatementKind;
  reader: boolean;
  ordered: boolean;
  columnNames?: string[];
  jsonScalarColumns?: number[];
  echoColumns?: number[];
  /** The INSERT returns its rows' rowids (Translation.rowidReturning). */
  rowidReturning?: boolean;
  /** A plain one-row INSERT: its next-rowid expression and RETURNING, for Translation.rowidGiven. */
  rowidGiven?: { expression: string; returning: string; table: string };
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

/** The table an INSERT, UPDATE or DELETE writes, as written (after any `main.` and `OR action`). */
function writeTarget(nodes: Node[], kind: StatementKind): Token | undefined {
  const verb = nodes.findIndex((n) => isWord(n, kind === 'insert' ? 'INTO' : kind === 'update' ? 'UPDATE' : 'FROM'));
  if (verb === -1) return undefined;
  let at = nextSig(nodes, verb);
  if (kind === 'update' && isWord(nodes[at], 'OR')) at = nextSig(nodes, nextSig(nodes, at));
  if (isOp(nodes[nextSig(nodes, at)], '.')) at = nextSig(nodes, nextSig(nodes, at));
  return isName(nodes[at]) ? (nodes[at] as Token) : undefined;
}

/** SQLite refuses at prepare any write to a view (it has no INSTEAD OF trigger here). */
function refuseViewWrite(nodes: Node[], kind: StatementKind, ctx: Ctx): void {
  if (kind === 'select') return;
  const target = writeTarget(nodes, kind);
  if (target && ctx.catalog.views?.has(nameOf(target).toLowerCase())) {
    throw sqliteError(`cannot modify ${nameOf(target)} because it is a view`, 'SQLITE_ERROR');
  }
}

/**
 * `SET x = 3, x = 4`: SQLite ignores every assignment of a column but the rightmost; PostgreSQL
 * rejects the repeat. The earlier ones are dropped (names compared as SQLite does, ignoring case)
 * when they are literals or parameters; SQLite still prepares an ignored expression (an unknown
 * function or column fails there), which a dropped one would not be: refused at prepare.
 */
function dropOverriddenAssignments(nodes: Node[], setAt: number, ctx: Ctx): void {
  let end = setAt + 1;
  while (end < nodes.length && !isWord(nodes[end], 'WHERE', 'FROM', 'RETURNING', 'ORDER', 'LIMIT')) end++;
  const items = splitCommas(nodes.slice(setAt + 1, end));
  const target = (item: Node[]): string | undefined => {
    const eq = item.findIndex((n) => isOp(n, '='));
    const s = sigNodes(item.slice(0, eq === -1 ? 0 : eq));
    return s.length === 1 && isName(s[0]) ? nameOf(s[0] as Token).toLowerCase() : undefined;
  };
  const names = items.map(target);
  const kept = items.filter((_, i) => names[i] === undefined || names.indexOf(names[i], i + 1) === -1);
  if (kept.length === items.length) return;
  for (const [i, item] of items.entries()) {
    if (kept.includes(item)) continue;
    const value = sigNodes(item.slice(item.findIndex((n) => isOp(n, '=')) + 1));
    if (!value.every((n) => isType(n, 'string') || isType(n, 'number') || isType(n, 'blob') || isType(n, 'param') || isWord(n, 'NULL') || isOp(n, '-') || isOp(n, '+'))) {
      fail(ctx, `SET ${names[i]} twice`, `SQLite ignores all but the last assignment of ${names[i]} (still checking the others' functions and columns), PostgreSQL refuses the repeat; remove the earlier assignment`);
    }
  }
  // The source's own comma tokens separate the kept items: the assignment rules that run next
  // split the list at comma tokens (a comma inside a template would join two assignments into one).
  // Spaces as whitespace tokens, which the assignment rules skip as they skip the source's own.
  const commas = nodes.slice(setAt + 1, end).filter((n) => isType(n, 'comma'));
  const space = (): Node => ({ kind: 'token', type: 'ws', text: ' ', value: ' ', start: -1 });
  const rebuilt: Node[] = [space()];
  kept.forEach((item, i) => rebuilt.push(...(i > 0 ? [commas[i - 1], space()] : []), ...trimTrivia(item)));
  rebuilt.push(space());
  nodes.splice(setAt + 1, end - setAt - 1, ...rebuilt);
}

/** The alias of INSERT INTO t AS x, if any. */
function insertAlias(nodes: Node[], tableAt: number): string | undefined {
  const as = nextSig(nodes, tableAt);
  return isWord(nodes[as], 'AS') && isName(nodes[nextSig(nodes, as)]) ? nameOf(nodes[nextSig(nodes, as)] as Token) : undefined;
}

/**
 * An upsert's DO UPDATE SET values and WHERE: an unqualified column is the target table's row in
 * SQLite; PostgreSQL also sees `excluded` there and calls the name ambiguous. Qualified with the
 * table (or its alias); subqueries, function names, assigned columns and RETURNING are left alone.
 */
function qualifyUpsertColumns(nodes: Node[], table: TableInfo, qualifier: string): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (isWord(n, 'RETURNING')) return;
    if (isGroup(n)) {
      if (!isWord(sigNodes(n.items)[0], 'SELECT', 'WITH', 'VALUES')) qualifyUpsertColumns(n.items, table, qualifier);
      continue;
    }
    if (!isName(n)) continue;
    const prev = nodes[prevSig(nodes, i)];
    const next = nodes[nextSig(nodes, i)];
    if (isOp(prev, '.') || isOp(next, '.') || isGroup(next) || (isOp(next, '=') && (next as Token).note?.assignment)) continue;
    if (!findColumn(table, nameOf(n))) continue;
    n.note = { ...n.note, prefix: `${quoteIdent(qualifier)}.` };
  }
}

function annotate(nodes: Node[], kind: StatementKind, ctx: Ctx): void {
  refuseViewWrite(nodes, kind, ctx);
  for (let i = 0; i < nodes.length; i++) if (isWord(nodes[i], 'SET') && kind !== 'select') dropOverriddenAssignments(nodes, i, ctx);
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
        qualifyUpsertColumns(nodes.slice(set + 1), parts.table, insertAlias(nodes, parts.tableAt) ?? parts.table.name);
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

export function translateDml(source: Node[], ctx: Ctx): DmlResult {
  const tree = concatPrecedence(source);
  const kind = dmlKind(tree);
  ctx.kind = kind;
  // The statement's own level: its tables, not those of its subqueries (each level resolves its own,
  // see levelScope); `tables` lists them all.
  ctx.scope = levelScope(tree, { entries: [], tables: collectScope(tree, ctx.catalog).tables }, ctx.catalog);
  if (kind === 'insert') {
    // INSERT ... SELECT: the SELECT's names are its own tables' (SQLite's SELECT does not see the
    // table written); the target stays last, for the upsert's DO UPDATE.
    const target = readInsert(tree, ctx).table;
    const at = ctx.scope.entries.findIndex((e) => e.table === target);
    if (target && at !== -1 && ctx.scope.entries.length > 1) {
      const entries = [...ctx.scope.entries];
      entries.push(...entries.splice(at, 1));
      ctx.scope = { ...ctx.scope, entries };
    }
  }
  renameRowidReferences(tree, ctx);
  if (kind === 'insert') writeInsertColumns(tree, ctx);
  inlineAliasReferences(tree, ctx);
  markDerivedJson(tree, ctx);
  annotate(tree, kind, ctx);
  quoteAliases(tree, ctx);
  widenIntegerLiterals(tree);
  const echoColumns = markEchoColumns(tree);
  const names = readResultNames(tree, ctx);
  const insertParts = kind === 'insert' ? readInsert(tree, ctx) : undefined;
  const target = insertParts?.table;
  let nodes = rewrite(tree, ctx);
  if (kind === 'insert') nodes = applyConflictClause(nodes, ctx);
  const inlined = target?.rowid ? inlineNextRowid(nodes, target, ctx) : undefined;
  const named = names ? applyResultNames(nodes, names, ctx) : { nodes };
  const reader = kind === 'select' || nodes.some((n) => isWord(n, 'RETURNING'));
  const rowid = kind === 'insert' && target?.rowid !== undefined && !reader;
  const returning = rowid ? `\nRETURNING ${rowidReturning(tree, target!.rowid!)}` : '';
  if (rowid) named.nodes.push(tpl([returning]));
  // A plain one-row INSERT (no conflict clause, no RETURNING of its own, no other trigger on the
  // table) inserts exactly the row numbered by `inlined`, or fails: the backend may give it that
  // number itself when it knows it (src/backends/postgres/core/next-rowid.ts).
  const given = inlined && rowid && !target!.rowidOtherTriggers && !tree.some((n) => isWord(n, 'CONFLICT', 'WITH')) && [undefined, 'abort', 'fail'].includes(insertParts!.conflict);
  return {
    ...(rowid ? { rowidReturning: true } : {}),
    ...(given ? { rowidGiven: { expression: inlined, returning, table: target!.name.toLowerCase() } } : {}),
    nodes: named.nodes,
    kind,
    reader,
    ordered: hasTopLevelOrderBy(tree),
    columnNames: named.columnNames,
    ...(names && names.jsonScalar.length > 0 ? { jsonScalarColumns: names.jsonScalar } : {}),
    ...(echoColumns.length > 0 ? { echoColumns } : {}),
  };
}

/**
 * A one-row `INSERT ... (cols) VALUES (...)` that leaves the rowid out gets it here, as the trigger
 * would compute it (the largest + 1, read by the statement under the write lock), so the trigger's
 * function is not called. Multi-row VALUES and INSERT ... SELECT keep the trigger: a row an ON
 * CONFLICT skips must not use up a number.
 */
function inlineNextRowid(nodes: Node[], table: TableInfo, ctx: Ctx): string | undefined {
  // INSERT OR REPLACE was rewritten into a statement of its own, which numbers its rows itself.
  if (!nodes.some((n) => isWord(n, 'INSERT', 'REPLACE'))) return undefined;
  const parts = readInsert(nodes, ctx);
  if (parts.conflict === 'replace' || parts.columnsGroupAt === -1 || parts.columns.some((c) => c.toLowerCase() === table.rowid!.toLowerCase())) return undefined;
  const rows = valuesRows(nodes, parts);
  if (!rows || rows.length !== 1) return undefined;
  const expression = nextRowidSql(quoteIdent(table.name), table.rowid!);
  (nodes[parts.columnsGroupAt] as Group).items.push(tpl([`, ${quoteIdent(table.rowid!)}`]));
  rows[0].items.push(tpl([`, ${expression}`]));
  return expression;
}

/**
 * What an INSERT returns so that `lastInsertRowid` is SQLite's: the rowid of each row it inserted.
 * A row an upsert updated instead (its xmax is set) returns NULL: SQLite's last_insert_rowid()
 * does not change for it.
 */
function rowidReturning(tree: Node[], rowid: string): string {
  const updates = tree.some((n, i) => isWord(n, 'DO') && isWord(tree[nextSig(tree, i)], 'UPDATE'));
  return updates ? `CASE WHEN CAST(xmax AS text) = '0' THEN ${quoteIdent(rowid)} END` : quoteIdent(rowid);
}

function hasTopLevelOrderBy(nodes: Node[]): boolean {
  return nodes.some((n, i) => isWord(n, 'ORDER') && isWord(nodes[nextSig(nodes, i)], 'BY'));
}

