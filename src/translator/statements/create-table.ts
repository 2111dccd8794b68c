/** CREATE TABLE in SQLite's types → PostgreSQL (column rules in column-def.ts). */
import type { TableInfo } from '../../schema/catalog';
import { fail, quoteIdent, type Ctx } from '../context';
import { isGroup, isOp, isWord, sigNodes, splitCommas, tpl, type Group, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import { columnDefinition, columnShape, isRowidAlias, items, referencesClause } from './column-def';
import { hiddenRowidColumnDdl, ROWID_COLUMN, rowidSetupDdl } from '../../schema/rowid';
import { ddlExpression } from './ddl-expr';

const TABLE_CONSTRAINT = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

function names(group: Node | undefined): string {
  if (!isGroup(group)) return '';
  return splitCommas(group.items)
    .map((c) => quoteIdent(nameOf(sigNodes(c).find(isName) as Token).toLowerCase()))
    .join(', ');
}

function tableConstraint(def: Node[], table: TableInfo, ctx: Ctx): Node[] {
  const s = sigNodes(def);
  const out: Array<string | Node[]> = [];
  let j = 0;
  if (isWord(s[0], 'CONSTRAINT')) {
    out.push(`CONSTRAINT ${quoteIdent(nameOf(s[1] as Token))} `);
    j = 2;
  }
  if (isWord(s[j], 'PRIMARY')) out.push(`PRIMARY KEY (${names(s[j + 2])})`);
  else if (isWord(s[j], 'UNIQUE')) out.push(`UNIQUE (${names(s[j + 1])})`);
  else if (isWord(s[j], 'CHECK') && isGroup(s[j + 1])) out.push('CHECK (', ddlExpression(items(s[j + 1]), table, ctx), ')');
  else if (isWord(s[j], 'FOREIGN')) out.push(`FOREIGN KEY (${names(s[j + 2])}) ${referencesClause(s, j + 3).text}`);
  else fail(ctx, 'table constraint', 'it is not a SQLite table constraint the translator knows.');
  return [tpl(out)];
}

export function translateCreateTable(tree: Node[], ctx: Ctx): { nodes: Node[]; table: string } {
  const s = sigNodes(tree);
  const temp = s.some((n) => isWord(n, 'TEMP', 'TEMPORARY'));
  const ifNotExists = s.some((n) => isWord(n, 'EXISTS'));
  const groupAt = s.findIndex(isGroup);
  if (groupAt === -1 || s.some((n) => isWord(n, 'AS'))) {
    if (s.some((n) => isWord(n, 'AS'))) fail(ctx, 'CREATE TABLE ... AS SELECT', 'create the table with its columns, then INSERT ... SELECT.');
    fail(ctx, 'CREATE TABLE', 'the column list is missing.');
  }
  let nameAt = groupAt - 1;
  const name = nameOf(s[nameAt] as Token).toLowerCase();
  if (isOp(s[nameAt - 1], '.')) nameAt -= 2;
  const defs = splitCommas((s[groupAt] as Group).items).filter((d) => sigNodes(d).length > 0);
  const columnDefs = defs.filter((d) => !isWord(sigNodes(d)[0], ...TABLE_CONSTRAINT));
  // The table as PostgreSQL will know it, so CHECK and DEFAULT expressions can use its column types.
  const table: TableInfo = {
    name, oid: 0, primaryKey: [], uniqueKeys: [], foreignKeys: [],
    columns: columnDefs.map((d, i) => {
      const c = columnShape(d, ctx);
      return { name: c.name, type: c.type, notNull: c.notNull, default: null, position: i + 1 };
    }),
  };
  const body: Node[] = [];
  defs.forEach((d, i) => {
    body.push(tpl([i > 0 ? ',\n  ' : '\n  ']));
    body.push(...(isWord(sigNodes(d)[0], ...TABLE_CONSTRAINT) ? tableConstraint(d, table, ctx) : columnDefinition(d, table, ctx)));
  });
  const head = `CREATE ${temp ? 'TEMPORARY ' : ''}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdent(name)} (`;
  // SQLite's rowid: the INTEGER PRIMARY KEY, or a hidden column (last, so that its position never
  // shifts the others). A WITHOUT ROWID table has none; a temporary one is not given one.
  const withoutRowid = s.slice(groupAt + 1).some((n) => isWord(n, 'WITHOUT'));
  const rowid = withoutRowid || temp ? undefined : (rowidAliasOf(columnDefs, defs, ctx) ?? ROWID_COLUMN);
  if (rowid === ROWID_COLUMN) body.push(tpl([`,\n  ${hiddenRowidColumnDdl()}`]));
  const setup = rowid ? [tpl([`;\n${rowidSetupDdl(ctx.catalog.schema, name, rowid)}`])] : [];
  return { nodes: [tpl([head]), ...body, tpl(['\n)']), ...setup], table: name };
}

/** The INTEGER PRIMARY KEY column (in the column or as the table's one-column PRIMARY KEY), if any. */
function rowidAliasOf(columnDefs: Node[][], defs: Node[][], ctx: Ctx): string | undefined {
  const column = columnDefs.find((d) => isRowidAlias(d, ctx));
  if (column) return columnShape(column, ctx).name;
  for (const d of defs) {
    const s = sigNodes(d);
    const at = s.findIndex((n) => isWord(n, 'PRIMARY'));
    if (at === -1 || isWord(s[0], 'PRIMARY') === false && !isWord(s[0], 'CONSTRAINT')) continue;
    const group = s[at + 2];
    if (!isGroup(group)) continue;
    const keys = splitCommas(group.items).filter((c) => sigNodes(c).length > 0);
    if (keys.length !== 1 || sigNodes(keys[0]).some((n) => isWord(n, 'DESC'))) return undefined;
    const key = nameOf(sigNodes(keys[0]).find(isName) as Token).toLowerCase();
    const def = columnDefs.find((c) => columnShape(c, ctx).name === key);
    return def && columnShape(def, ctx).declared.trim().toUpperCase() === 'INTEGER' ? key : undefined;
  }
  return undefined;
}
