/**
 * A multi-row INSERT OR REPLACE / REPLACE / upsert (ON CONFLICT ... DO UPDATE) runs one statement
 * per VALUES row. SQLite applies the rows in turn: a later row replaces or updates the row an
 * earlier one wrote (the same key twice), where PostgreSQL refuses the whole statement ("ON
 * CONFLICT DO UPDATE command cannot affect row a second time", a unique violation of REPLACE's
 * insert). The rows' statements are sent as one batch (one round trip, one implicit transaction or
 * statement savepoint), so the statement stays atomic; `changes` is their sum and lastInsertRowid
 * the last row's (Translation.steps). INSERT OR IGNORE needs none of this: ON CONFLICT DO NOTHING
 * already skips a row whose key an earlier row of the same statement inserted.
 */
import type { Ctx } from '../context';
import { isWord, sigNodes, type Node } from '../nodes';
import type { Token } from '../tokenizer';
import type { ParamSource, ValueClasses } from '../types';
import { readInsert, valuesRows } from './insert-parts';

/** One row's statement in SQLite's SQL, each parameter renamed `@_sra_p<k>` (k: its place in the whole statement). */
export interface RowSource {
  sql: string;
  /** The whole statement's parameter of each renamed one, by name without the `@`. */
  params: Map<string, ParamSource>;
}

const PREFIX = '_sra_p';

/** The statement's rows as statements of their own, or undefined when it runs as one statement. */
export function rowSources(tokens: Token[], tree: Node[], ctx: Ctx): RowSource[] | undefined {
  const verbAt = tree.findIndex((n) => isWord(n, 'INSERT', 'REPLACE'));
  if (verbAt === -1) return undefined;
  const parts = readInsert(tree, ctx);
  if (!parts.table) return undefined;
  const rows = valuesRows(tree, parts);
  if (!rows || rows.length < 2) return undefined;
  const tail = sigNodes(tree.slice(parts.sourceEnd));
  const upsert = tail.some((n, i) => isWord(n, 'DO') && isWord(tail[i + 1], 'UPDATE'));
  if (parts.conflict !== 'replace' && !upsert) return undefined;
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  // Every parameter token of the statement, numbered in order, with its source.
  const numbered = new Map<Token, number>();
  for (const t of tokens) if (t.type === 'param') numbered.set(t, numbered.size);
  return rows.map((row) => {
    const params = new Map<string, ParamSource>();
    let sql = '';
    for (const t of tokens) {
      const inside = t.start >= row.start && t.start <= row.end;
      if (t.start >= first.start && t.start <= last.end && !inside) continue;
      if (t.type === 'param') {
        const k = numbered.get(t)!;
        const source = ctx.params.sources.get(t);
        if (source) params.set(`${PREFIX}${k}`, source);
        sql += `@${PREFIX}${k}`;
      } else sql += t.text;
    }
    return { sql, params };
  });
}

/** The whole statement's source of a row statement's parameter. */
export function wholeSource(row: RowSource, source: ParamSource): ParamSource {
  return source.kind === 'named' ? row.params.get(source.name) ?? source : source;
}

/** The value classes of the whole statement, read by a row statement's parameters. */
export function rowValueClasses(row: RowSource, classes: ValueClasses): ValueClasses {
  return { key: classes.key, classOf: (source) => classes.classOf(wholeSource(row, source)) };
}
