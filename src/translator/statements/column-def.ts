/**
 * One column definition of CREATE TABLE / ALTER TABLE ADD COLUMN, in SQLite's types, mapped as in
 * src/schema/type-mapping.ts (docs/api.md, Column types): text columns get COLLATE "C" (SQLite's BINARY order),
 * foreign keys become DEFERRABLE INITIALLY IMMEDIATE (checked at statement end, like SQLite's, and
 * deferrable by the migration tools), INTEGER PRIMARY KEY (SQLite's rowid alias, which numbers
 * itself) becomes a BIGINT primary key that the rowid trigger numbers as SQLite does
 * (src/schema/rowid.ts).
 */
import { collationFor, ddlColumnType, mapDefault, mapDeclaredType } from '../../schema/type-mapping';
import type { TableInfo } from '../../schema/catalog';
import { fail, quoteIdent, type Ctx } from '../context';
import { isGroup, isType, isWord, sigNodes, sourceSpan, tpl, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import { ddlExpression } from './ddl-expr';

const CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);

export interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
  /** The SQLite type as written. */
  declared: string;
}

/** Name and mapped type of a column definition, without translating its constraints. */
export function columnShape(def: Node[], ctx: Ctx): ColumnShape {
  const s = sigNodes(def);
  if (!isName(s[0]) && !isWord(s[0])) fail(ctx, 'CREATE TABLE', 'a column name is missing.');
  let end = 1;
  while (end < s.length && !(isWord(s[end]) && CONSTRAINT_START.has((s[end] as Token).value))) end++;
  const declared = sourceSpan(s.slice(1, end), ctx.sql) ?? '';
  const type = mapDeclaredType(declared);
  const notNull = s.some((n, i) => isWord(n, 'NOT') && isWord(s[i + 1], 'NULL'));
  return { name: nameOf(s[0] as Token).toLowerCase(), type, notNull, declared };
}

/** The column is an INTEGER PRIMARY KEY: SQLite's rowid under another name. */
export function isRowidAlias(def: Node[], ctx: Ctx): boolean {
  const s = sigNodes(def);
  return columnShape(def, ctx).declared.trim().toUpperCase() === 'INTEGER' && s.some((n, i) => isWord(n, 'PRIMARY') && isWord(s[i + 1], 'KEY') && !isWord(s[i + 2], 'DESC'));
}

/** The FOREIGN KEY ... REFERENCES clause starting at s[i]; returns the text and the index after it. */
export function referencesClause(s: Node[], i: number): { text: string; next: number } {
  let j = i + 1;
  let text = `REFERENCES ${quoteIdent(nameOf(s[j] as Token).toLowerCase())}`;
  j++;
  const cols = s[j];
  if (isGroup(cols)) {
    text += ` (${sigNodes(cols.items).filter(isName).map((n) => quoteIdent(nameOf(n as Token).toLowerCase())).join(', ')})`;
    j++;
  }
  let deferrable = false;
  for (;;) {
    if (isWord(s[j], 'ON') && isWord(s[j + 1], 'DELETE', 'UPDATE')) {
      const action = isWord(s[j + 2], 'SET', 'NO') ? `${(s[j + 2] as Token).value} ${(s[j + 3] as Token).value}` : (s[j + 2] as Token).value;
      text += ` ON ${(s[j + 1] as Token).value} ${action}`;
      j += action.includes(' ') ? 4 : 3;
    } else if (isWord(s[j], 'MATCH')) j += 2; // SQLite parses MATCH and ignores it
    else if (isWord(s[j], 'NOT') && isWord(s[j + 1], 'DEFERRABLE')) {
      deferrable = true;
      text += ' NOT DEFERRABLE';
      j += 2;
    } else if (isWord(s[j], 'DEFERRABLE')) {
      deferrable = true;
      text += ' DEFERRABLE';
      j++;
      if (isWord(s[j], 'INITIALLY')) {
        text += ` INITIALLY ${(s[j + 1] as Token).value}`;
        j += 2;
      }
    } else break;
  }
  if (!deferrable) text += ' DEFERRABLE INITIALLY IMMEDIATE';
  return { text, next: j };
}

export function items(n: Node | undefined): Node[] {
  return isGroup(n) ? n.items : [];
}

function skipConflictClause(s: Node[], j: number): number {
  return isWord(s[j], 'ON') && isWord(s[j + 1], 'CONFLICT') ? j + 3 : j;
}

/** The PostgreSQL column definition (a node list: CHECK and DEFAULT expressions stay nodes). */
export function columnDefinition(def: Node[], table: TableInfo, ctx: Ctx): Node[] {
  const shape = columnShape(def, ctx);
  const s = sigNodes(def);
  let j = 1;
  while (j < s.length && !(isWord(s[j]) && CONSTRAINT_START.has((s[j] as Token).value))) j++;
  const out: Array<string | Node[]> = [];
  while (j < s.length) {
    const w = s[j] as Token;
    if (isWord(w, 'CONSTRAINT')) {
      out.push(` CONSTRAINT ${quoteIdent(nameOf(s[j + 1] as Token))}`);
      j += 2;
    } else if (isWord(w, 'PRIMARY')) {
      j += 2;
      if (isWord(s[j], 'ASC', 'DESC')) j++;
      j = skipConflictClause(s, j);
      if (isWord(s[j], 'AUTOINCREMENT')) j++;
      out.push(' PRIMARY KEY');
    } else if (isWord(w, 'NOT') && isWord(s[j + 1], 'NULL')) {
      out.push(' NOT NULL');
      j = skipConflictClause(s, j + 2);
    } else if (isWord(w, 'NULL')) {
      out.push(' NULL');
      j++;
    } else if (isWord(w, 'UNIQUE')) {
      out.push(' UNIQUE');
      j = skipConflictClause(s, j + 1);
    } else if (isWord(w, 'CHECK') && isGroup(s[j + 1])) {
      out.push(' CHECK (', ddlExpression(items(s[j + 1]), table, ctx), ')');
      j += 2;
    } else if (isWord(w, 'DEFAULT')) {
      let k = j + 1;
      if (isType(s[k], 'op') && /^[+-]$/.test((s[k] as Token).text)) k++;
      const text = sourceSpan(s.slice(j + 1, k + 1), ctx.sql) ?? '';
      const mapped = mapDefault(text, shape.type);
      if (mapped !== text || !isGroup(s[k])) out.push(` DEFAULT ${mapped}`);
      else out.push(' DEFAULT (', ddlExpression(items(s[k]), table, ctx), ')');
      j = k + 1;
    } else if (isWord(w, 'COLLATE')) {
      const c = nameOf(s[j + 1] as Token).toUpperCase();
      if (c !== 'BINARY') fail(ctx, `COLLATE ${c} in a column definition`, 'PostgreSQL columns here use the "C" collation (SQLite\'s BINARY); compare with lower() instead.');
      j += 2;
    } else if (isWord(w, 'REFERENCES')) {
      const fk = referencesClause(s, j);
      out.push(` ${fk.text}`);
      j = fk.next;
    } else if (isWord(w, 'GENERATED', 'AS')) {
      while (!isGroup(s[j]) && j < s.length) j++;
      out.push(' GENERATED ALWAYS AS (', ddlExpression(items(s[j]), table, ctx), ') STORED');
      j++;
      if (isWord(s[j], 'STORED', 'VIRTUAL')) j++;
    } else fail(ctx, `column constraint ${w.text ?? '?'}`, 'it is not a SQLite column constraint the translator knows.');
  }
  return [tpl([`${quoteIdent(shape.name)} ${ddlColumnType(shape.declared, shape.type)}${collationFor(shape.type)}`, ...out])];
}
