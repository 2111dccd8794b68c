/** Turns the rewritten tree into PostgreSQL text, numbering parameters as they appear. */
import { findTable } from '../schema/catalog';
import type { Ctx } from './context';
import { quoteIdent } from './context';
import type { Node } from './nodes';
import type { SlotTable } from './params';
import { TEXT_OPERAND } from './types';
import type { Token } from './tokenizer';
import { integerText, isIntegerLiteral } from './rules/integer-literals';

export interface RenderEnv {
  ctx: Ctx;
  slots: SlotTable;
}

const TEXT_TARGET = { table: '', column: '', type: TEXT_OPERAND };

export function render(nodes: Node[], env: RenderEnv): string {
  let out = '';
  for (const n of nodes) out = glue(out, renderNode(n, env));
  return out;
}

const WORD_END = /[A-Za-z0-9_$"\u0080-\uffff]$/;
const WORD_START = /^[A-Za-z0-9_$"\u0080-\uffff]/;

/**
 * Appends a piece of generated SQL. Rules move operands into templates, so the whitespace that
 * separated two tokens in the source can end up inside one of them: two words that would touch
 * (`WHERE` + `CAST(`), or two characters that would start a comment (`-` + `-`, `/` + `*`), are
 * kept apart by a space, whichever rule produced them.
 */
export function glue(out: string, piece: string): string {
  if (out === '' || piece === '') return out + piece;
  const a = out[out.length - 1];
  const b = piece[0];
  const touch = (WORD_END.test(a) && WORD_START.test(b)) || (a === '-' && b === '-') || (a === '/' && b === '*') || (a === '*' && b === '/');
  return touch ? `${out} ${piece}` : out + piece;
}

function renderNode(n: Node, env: RenderEnv): string {
  switch (n.kind) {
    case 'group':
      return `(${render(n.items, env)})`;
    case 'tpl':
      return n.parts.reduce<string>((out, p) => glue(out, typeof p === 'string' ? p : render(p, env)), '');
    case 'now':
      return env.ctx.ddl ? 'now()' : `$${env.slots.slotFor({ kind: 'now' })}::timestamptz`;
    default:
      return renderToken(n, env);
  }
}

function renderToken(t: Token, env: RenderEnv): string {
  const text = tokenText(t, env);
  return t.note?.prefix === undefined ? text : glue(t.note.prefix, text);
}

function tokenText(t: Token, env: RenderEnv): string {
  if (t.note?.replace !== undefined) return t.note.replace;
  switch (t.type) {
    case 'param': {
      const source = env.ctx.params.sources.get(t)!;
      const note = t.note;
      // A parameter nothing else types is sent as its value's storage class (translate's valueClasses).
      if (!note?.echo && (!note?.target || note.target.type === TEXT_OPERAND || note.valueSensitive)) env.slots.valueTyped = true;
      // Bound to NULL with no column to type it: the NULL literal, which PostgreSQL types from its place.
      // (A guessed text cast dropped: `NULL IS ?` is no text; a number's kept: `- NULL` needs a type.)
      if (note?.valueClass === 'n' && !note.echo && !note.target) return note.cast && note.cast !== 'text' ? `NULL::${note.cast}` : 'NULL';
      const target = note?.target ?? (note?.cast === 'text' && !note.echo ? TEXT_TARGET : undefined);
      const n = env.slots.slotFor(source, target, note?.echo === true, note?.store === true && note.target !== undefined, note?.storeUntyped === true);
      const cast = note?.cast ?? (note?.target ? undefined : note?.valueType);
      return cast ? `$${n}::${cast}` : `$${n}`;
    }
    // SQLite ignores the case of quoted names; PostgreSQL does not: use the catalog's spelling.
    case 'qident':
      return quoteIdent(catalogSpelling(t.value, env.ctx));
    case 'number':
      if (!isIntegerLiteral(t)) return t.text;
      return t.note?.cast ? `${integerText(t)}::${t.note.cast}` : integerText(t);
    // PostgreSQL nests block comments and SQLite does not, so a comment's text never reaches it:
    // `/* a /* b */ x` is `x` in SQLite. A space keeps the tokens either side apart.
    case 'comment':
      return ' ';
    // X'..' blob literals are bytea escapes in PostgreSQL.
    case 'blob':
      return `'\\x${t.value}'::bytea`;
    default:
      // SQLite's `==` is `=`; PostgreSQL has no `==` operator.
      return t.type === 'op' && t.value === '==' ? '=' : t.text;
  }
}

function catalogSpelling(name: string, ctx: Ctx): string {
  const lower = name.toLowerCase();
  const table = findTable(ctx.catalog, lower);
  if (table) return table.name;
  for (const tableName of ctx.scope.tables) {
    const col = ctx.catalog.tables.get(tableName)?.columns.find((c) => c.name.toLowerCase() === lower);
    if (col) return col.name;
  }
  return name;
}
