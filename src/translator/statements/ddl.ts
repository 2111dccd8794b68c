/**
 * Schema statements. PostgreSQL index names are per schema, as SQLite's are per database, so names
 * are kept. Unqualified names resolve through the backend's search_path (set to the schema).
 * Triggers and virtual tables have no translation: they are errors that name the construct.
 */
import { findTable } from '../../schema/catalog';
import { rowidRenameDdl } from '../../schema/rowid';
import { fail, quoteIdent, type Ctx } from '../context';
import { isGroup, isOp, isWord, nextSig, sigNodes, splitCommas, tpl, trimTrivia, type Group, type Node } from '../nodes';
import { rewrite } from '../rewrite';
import { dropMainQualifier } from '../rules/qualifiers';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import { columnDefinition } from './column-def';
import { translateCreateTable } from './create-table';
import { ddlExpression } from './ddl-expr';

export interface DdlResult {
  nodes: Node[];
  tables: string[];
}

export function translateDdl(tree: Node[], ctx: Ctx): DdlResult {
  tree = dropMainQualifier(tree, ctx);
  const s = sigNodes(tree);
  const verb = (s[0] as Token).value;
  const what = s.find((n, i) => i > 0 && isWord(n, 'TABLE', 'INDEX', 'VIEW', 'TRIGGER', 'VIRTUAL')) as Token | undefined;
  if (!what) fail(ctx, `${verb} statement`, 'only TABLE, INDEX and VIEW are supported.');
  if (what.value === 'TRIGGER') fail(ctx, `${verb} TRIGGER`, 'SQLite triggers have no translation; write a PostgreSQL trigger in the schema, or move the logic into the application.');
  if (what.value === 'VIRTUAL') fail(ctx, 'CREATE VIRTUAL TABLE', 'virtual tables (FTS, R-tree, ...) only exist in SQLite.');
  if (verb === 'CREATE' && what.value === 'TABLE') {
    const t = translateCreateTable(tree, ctx);
    return { nodes: t.nodes, tables: [t.table] };
  }
  if (verb === 'CREATE' && what.value === 'INDEX') return createIndex(tree, ctx);
  if (verb === 'CREATE' && what.value === 'VIEW') {
    if (s.some((n) => isWord(n, 'EXISTS'))) fail(ctx, 'CREATE VIEW IF NOT EXISTS', 'PostgreSQL has no IF NOT EXISTS for views.');
    return { nodes: rewrite(tree, ctx), tables: [] };
  }
  if (verb === 'ALTER') return alterTable(tree, ctx);
  // DROP TABLE/INDEX/VIEW [IF EXISTS] name: the same in PostgreSQL.
  const last = s[s.length - 1];
  return { nodes: tree, tables: what.value === 'TABLE' && isName(last) ? [nameOf(last as Token).toLowerCase()] : [] };
}

function createIndex(tree: Node[], ctx: Ctx): DdlResult {
  const on = tree.findIndex((n) => isWord(n, 'ON'));
  const tableAt = nextSig(tree, on);
  const groupAt = nextSig(tree, tableAt);
  if (on === -1 || !isGroup(tree[groupAt])) fail(ctx, 'CREATE INDEX', 'write CREATE INDEX name ON table (columns).');
  const tableName = nameOf(tree[tableAt] as Token).toLowerCase();
  const table = findTable(ctx.catalog, tableName);
  // An indexed expression (the ASCII folding of COLLATE NOCASE, json_extract...) needs its own parentheses.
  const columns = splitCommas((tree[groupAt] as Group).items).map((item) => {
    const rewritten = ddlExpression(trimTrivia(item), table, ctx);
    const simple = sigNodes(rewritten).every((n) => n.kind === 'token');
    return simple ? rewritten : [tpl(['(']), ...rewritten, tpl([')'])];
  });
  const list: Node[] = [];
  columns.forEach((c, i) => list.push(...(i > 0 ? [tpl([', '])] : []), ...c));
  const where = tree.findIndex((n, i) => i > groupAt && isWord(n, 'WHERE'));
  const predicate = where === -1 ? [] : [tpl([' WHERE ']), ...ddlExpression(trimTrivia(tree.slice(where + 1)), table, ctx)];
  return {
    nodes: [...tree.slice(0, tableAt), tpl([quoteIdent(tableName), ' (']), ...list, tpl([')']), ...predicate],
    tables: [tableName],
  };
}

function alterTable(tree: Node[], ctx: Ctx): DdlResult {
  const s = sigNodes(tree);
  let nameAt = s.findIndex((n) => isWord(n, 'TABLE')) + 1;
  if (isOp(s[nameAt + 1], '.')) nameAt += 2;
  const tableName = nameOf(s[nameAt] as Token).toLowerCase();
  const add = tree.findIndex((n) => isWord(n, 'ADD'));
  const rename = s.findIndex((n) => isWord(n, 'RENAME'));
  if (rename !== -1) return renameTable(tree, s, rename, tableName, ctx);
  if (add === -1) return { nodes: tree, tables: [tableName] }; // DROP COLUMN: the same
  let defAt = nextSig(tree, add);
  if (isWord(tree[defAt], 'COLUMN')) defAt = nextSig(tree, defAt);
  const table = findTable(ctx.catalog, tableName);
  if (!table) fail(ctx, 'ALTER TABLE ... ADD COLUMN', `the table ${tableName} is not in the schema.`);
  const def = columnDefinition(tree.slice(defAt), table, ctx);
  return { nodes: [...tree.slice(0, add), tpl(['ADD COLUMN ']), ...def], tables: [tableName] };
}

/**
 * RENAME TO and RENAME COLUMN: the same in PostgreSQL, and then what names the table's rowid made
 * again for the new name (schema/rowid.ts, rowidRenameDdl): the table's, or its INTEGER PRIMARY
 * KEY's when that column is renamed.
 */
function renameTable(tree: Node[], s: Node[], rename: number, tableName: string, ctx: Ctx): DdlResult {
  const table = findTable(ctx.catalog, tableName);
  const pgName = (n: Node | undefined): string | undefined => (isName(n) ? ((n as Token).type === 'qident' ? (n as Token).value : nameOf(n as Token).toLowerCase()) : undefined);
  if (isWord(s[rename + 1], 'TO')) {
    const to = pgName(s[rename + 2]);
    if (!table?.rowid || !to) return { nodes: tree, tables: [tableName] };
    return { nodes: [...tree, tpl([`;\n${rowidRenameDdl(ctx.catalog.schema, table.name, to, table.rowid)}`])], tables: [tableName, to.toLowerCase()] };
  }
  const at = isWord(s[rename + 1], 'COLUMN') ? rename + 2 : rename + 1;
  const from = pgName(s[at]);
  const to = pgName(s[at + 2]);
  if (!table?.rowid || table.rowidHidden || !from || !to || from.toLowerCase() !== table.rowid.toLowerCase()) return { nodes: tree, tables: [tableName] };
  return { nodes: [...tree, tpl([`;\n${rowidRenameDdl(ctx.catalog.schema, table.name, table.name, to)}`])], tables: [tableName] };
}
