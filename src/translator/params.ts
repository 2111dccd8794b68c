/**
 * Parameters: SQLite's `?`, `?NNN`, `@x`, `:x`, `$x` become PostgreSQL's `$1..$n`.
 * Sources follow better-sqlite3's binding rules, which the caller's arguments already obey:
 * anonymous `?` take the array values in order; every parameter with a name — `@x`, `:x`, `$x`
 * and also `?NNN`, which better-sqlite3 binds from the object key "NNN" — binds by its name without
 * the prefix, so `@x` and `:x` are one value. One source is one `$n`, however often it is used.
 */
import type { PgColumnType } from '../schema/catalog';
import type { ParamSlot, ParamSource } from './types';
import type { Token } from './tokenizer';

export interface ParamInfo {
  /** The source of each parameter token, by token. */
  sources: Map<Token, ParamSource>;
  namedParams: string[];
  positionalCount: number;
}

export function readParams(tokens: Token[]): ParamInfo {
  const sources = new Map<Token, ParamSource>();
  const named: string[] = [];
  let positional = 0;
  for (const t of tokens) {
    if (t.type !== 'param') continue;
    if (t.text === '?') {
      sources.set(t, { kind: 'positional', index: positional++ });
      continue;
    }
    const name = t.text.slice(1);
    if (!named.includes(name)) named.push(name);
    sources.set(t, { kind: 'named', name });
  }
  return { sources, namedParams: named, positionalCount: positional };
}

function keyOf(source: ParamSource): string {
  if (source.kind === 'positional') return `p:${source.index}`;
  if (source.kind === 'named') return `n:${source.name}`;
  return 'now';
}

/** Allocates `$n` in the order the translated text mentions them. */
export class SlotTable {
  readonly slots: ParamSlot[] = [];
  private readonly byKey = new Map<string, number>();

  slotFor(source: ParamSource, target?: { table: string; column: string; type: PgColumnType }, echo = false): number {
    // A parameter echoed as a result column travels tagged: its own `$n`, never shared with a comparison.
    const key = echo ? `echo:${keyOf(source)}` : keyOf(source);
    let n = this.byKey.get(key);
    if (n === undefined) {
      this.slots.push(echo ? { source, echo } : { source });
      n = this.slots.length;
      this.byKey.set(key, n);
    }
    const slot = this.slots[n - 1];
    if (target && slot.targetType === undefined) {
      slot.targetType = target.type;
      slot.targetColumn = { table: target.table, column: target.column };
    }
    return n;
  }
}
