/** Turns the rewritten tree into PostgreSQL text, numbering parameters as they appear. */
import { findTable } from '../schema/catalog';
import type { Ctx } from './context';
import { quoteIdent } from './context';
import type { Node } from './nodes';
import type { SlotTable } from './params';
import type { Token } from './tokenizer';

export interface RenderEnv {
  ctx: Ctx;
  slots: SlotTable;
}

export function render(nodes: Node[], env: RenderEnv): string {
  let out = '';
  for (const n of nodes) out += renderNode(n, env);
  return out;
}

function renderNode(n: Node, env: RenderEnv): string {
  switch (n.kind) {
    case 'group':
      return `(${render(n.items, env)})`;
    case 'tpl':
      return n.parts.map((p) => (typeof p === 'string' ? p : render(p, env))).join('');
    case 'now':
      return env.ctx.ddl ? 'now()' : `$${env.slots.slotFor({ kind: 'now' })}::timestamptz`;
    default:
      return renderToken(n, env);
  }
}

function renderToken(t: Token, env: RenderEnv): string {
  if (t.note?.replace !== undefined) return t.note.replace;
  switch (t.type) {
    case 'param': {
      const source = env.ctx.params.sources.get(t)!;
      const target = t.note?.target;
      const n = env.slots.slotFor(source, target);
      return t.note?.cast ? `$${n}::${t.note.cast}` : `$${n}`;
    }
    // SQLite ignores the case of quoted names; PostgreSQL does not: use the catalog's spelling.
    case 'qident':
      return quoteIdent(catalogSpelling(t.value, env.ctx));
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
