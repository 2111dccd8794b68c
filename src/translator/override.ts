/**
 * REGISTRY_SQL_OVERRIDES: a statement the translator cannot handle (or handles wrongly) gets its
 * PostgreSQL text from the overrides file, keyed by normalizeStatement(sqlite statement).
 * Parameters in the override text: `$1..$n` name the SQLite statement's distinct parameters in the
 * order they first appear there (so `SELECT * FROM t WHERE a = @a AND b = ?` → `$1` is @a, `$2`
 * is the ?); `?`, `@x`, `:x` and `$x` are read as in SQLite. No rule rewrites the override text.
 * Kind, reader and readonly come from the SQLite statement's verb (and RETURNING in the override).
 */
import { fail, type Ctx } from './context';
import { sigNodes, type Node } from './nodes';
import { readParams, SlotTable } from './params';
import { collectScope } from './scope';
import { dmlKind } from './statements/dml';
import { tokenize, type Token } from './tokenizer';
import type { ParamSource, StatementKind, Translation } from './types';

function kindOf(verb: string, tree: Node[]): StatementKind {
  if (['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'].includes(verb)) return 'transaction';
  if (verb === 'PRAGMA') return 'pragma';
  if (['CREATE', 'DROP', 'ALTER'].includes(verb)) return 'ddl';
  return ['SELECT', 'WITH', 'VALUES', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE'].includes(verb) ? dmlKind(tree) : 'other';
}

export function applyOverride(text: string, tree: Node[], ctx: Ctx): Translation {
  const distinct: ParamSource[] = [];
  const seen = new Set<string>();
  for (const source of ctx.params.sources.values()) {
    const key = JSON.stringify(source);
    if (!seen.has(key)) distinct.push(source);
    seen.add(key);
  }
  const tokens = tokenize(text);
  const own = readParams(tokens.filter((t) => t.type === 'param' && !/^\$\d+$/.test(t.text)));
  const slots = new SlotTable();
  const out = tokens
    .map((t: Token) => {
      if (t.type !== 'param') return t.text;
      const n = /^\$(\d+)$/.exec(t.text);
      const source = n ? distinct[Number(n[1]) - 1] : own.sources.get(t);
      if (!source) fail(ctx, `override parameter ${t.text}`, `the SQLite statement has ${distinct.length} parameter(s).`);
      return `$${slots.slotFor(source)}`;
    })
    .join('');
  const verb = (sigNodes(tree)[0] as Token).value;
  const kind = kindOf(verb, tree);
  const otree = tokens.filter((t) => t.type === 'word');
  const returning = otree.some((t) => t.value === 'RETURNING');
  return {
    source: ctx.sql,
    text: out,
    slots: slots.slots,
    kind,
    reader: kind === 'select' || returning || (kind === 'pragma' && otree[0]?.value === 'SELECT'),
    readonly: kind === 'select' || kind === 'transaction',
    ordered: otree.some((t, i) => t.value === 'ORDER' && otree[i + 1]?.value === 'BY'),
    tables: [...collectScope(tree, ctx.catalog).tables],
    changesSchema: kind === 'ddl',
    namedParams: ctx.params.namedParams,
    positionalCount: ctx.params.positionalCount,
    overridden: true,
  };
}
