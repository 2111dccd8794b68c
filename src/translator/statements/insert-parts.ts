/** The parts of a top-level INSERT / REPLACE statement, by index into its node list. */
import { findTable, type TableInfo } from '../../schema/catalog';
import { fail, quoteIdent, type Ctx } from '../context';
import { isGroup, isOp, isType, isWord, nextSig, sigNodes, splitCommas, type Group, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';

export type ConflictAction = 'replace' | 'ignore' | 'abort' | 'fail' | 'rollback' | undefined;

export interface InsertParts {
  /** Index of INSERT or REPLACE. */
  verbAt: number;
  conflict: ConflictAction;
  /** Indices of the `OR <action>` tokens (and of REPLACE when it is the verb). */
  conflictTokens: number[];
  tableName: string;
  /** Index of the table name token. */
  tableAt: number;
  table?: TableInfo;
  columns: string[];
  columnsGroupAt: number;
  /** Index where VALUES / SELECT / WITH / DEFAULT VALUES starts. */
  sourceAt: number;
  /** Index after the source (ON CONFLICT, RETURNING or the end). */
  sourceEnd: number;
  returningAt: number;
}

export function readInsert(nodes: Node[], ctx: Ctx): InsertParts {
  const verbAt = nodes.findIndex((n) => isWord(n, 'INSERT', 'REPLACE'));
  let i = nextSig(nodes, verbAt);
  let conflict: ConflictAction;
  const conflictTokens: number[] = [];
  if ((nodes[verbAt] as Token).value === 'REPLACE') {
    conflict = 'replace';
    conflictTokens.push(verbAt);
  } else if (isWord(nodes[i], 'OR')) {
    conflictTokens.push(i);
    i = nextSig(nodes, i);
    conflict = (nodes[i] as Token).value.toLowerCase() as ConflictAction;
    conflictTokens.push(i);
    i = nextSig(nodes, i);
  }
  if (!isWord(nodes[i], 'INTO')) fail(ctx, 'INSERT without INTO', 'write INSERT INTO table.');
  let tableAt = nextSig(nodes, i);
  if (isOp(nodes[nextSig(nodes, tableAt)], '.')) tableAt = nextSig(nodes, nextSig(nodes, tableAt)); // main.t
  const tableName = nameOf(nodes[tableAt] as Token);
  const table = findTable(ctx.catalog, tableName);
  let k = nextSig(nodes, tableAt);
  if (isWord(nodes[k], 'AS')) k = nextSig(nodes, nextSig(nodes, k));
  let columns: string[] = table ? table.columns.map((c) => c.name) : [];
  let columnsGroupAt = -1;
  if (isGroup(nodes[k])) {
    columnsGroupAt = k;
    columns = splitCommas((nodes[k] as Group).items).map((c) => nameOf(sigNodes(c).find(isName) as Token));
    k = nextSig(nodes, k);
  }
  const sourceAt = k;
  let sourceEnd = nodes.length;
  let returningAt = -1;
  for (let j = sourceAt; j < nodes.length; j++) {
    if (isWord(nodes[j], 'ON') && isWord(nodes[nextSig(nodes, j)], 'CONFLICT') && sourceEnd === nodes.length) sourceEnd = j;
    if (isWord(nodes[j], 'RETURNING')) {
      returningAt = j;
      if (sourceEnd === nodes.length) sourceEnd = j;
    }
  }
  while (sourceEnd > sourceAt && (isType(nodes[sourceEnd - 1], 'ws') || isType(nodes[sourceEnd - 1], 'comment'))) sourceEnd--;
  return { verbAt, conflict, conflictTokens, tableName, tableAt, table, columns, columnsGroupAt, sourceAt, sourceEnd, returningAt };
}

/** The VALUES rows of the source, or undefined when the source is a SELECT or DEFAULT VALUES. */
export function valuesRows(nodes: Node[], parts: InsertParts): Group[] | undefined {
  if (!isWord(nodes[parts.sourceAt], 'VALUES')) return undefined;
  return nodes.slice(parts.sourceAt + 1, parts.sourceEnd).filter(isGroup);
}

/**
 * An INSERT without a column list into a table with the hidden rowid gets the list of its visible
 * columns written out: PostgreSQL fills the columns by position, and a column added after the
 * table was created (ALTER TABLE ... ADD COLUMN) comes after the hidden rowid there, where SQLite's
 * VALUES skip the rowid. DEFAULT VALUES needs none.
 */
export function writeInsertColumns(nodes: Node[], ctx: Ctx): void {
  const parts = readInsert(nodes, ctx);
  if (parts.columnsGroupAt !== -1 || !parts.table?.rowidHidden || isWord(nodes[parts.sourceAt], 'DEFAULT')) return;
  const items: Node[] = [];
  parts.table.columns.forEach((c, i) => {
    if (i > 0) items.push({ kind: 'token', type: 'comma', text: ',', value: ',', start: -1 }, { kind: 'token', type: 'ws', text: ' ', value: ' ', start: -1 });
    items.push({ kind: 'token', type: 'qident', text: quoteIdent(c.name), value: c.name, start: -1 });
  });
  const group: Group = { kind: 'group', items, start: -1, end: -1 };
  // After the table's name, or its alias (INSERT INTO t AS x).
  let at = parts.tableAt;
  if (isWord(nodes[nextSig(nodes, at)], 'AS')) at = nextSig(nodes, nextSig(nodes, at));
  nodes.splice(at + 1, 0, { kind: 'token', type: 'ws', text: ' ', value: ' ', start: -1 }, group);
}
