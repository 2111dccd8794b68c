/**
 * Parameters: SQLite's `?`, `?NNN`, `@x`, `:x`, `$x` become PostgreSQL's `$1..$n`.
 *
 * Numbering follows SQLite (sqlite3ExprAssignVarNumber): `?` takes the highest index so far plus
 * one; `?NNN` takes NNN (and names it "?NNN" unless that index already has a name); a named
 * parameter takes the index of its earlier use, else the next one. better-sqlite3 then binds by
 * index: an index without a name (a `?`, or a gap left by `?NNN`, e.g. index 1 of `SELECT ?2`) takes
 * the next anonymous value; an index with a name takes the object key of that name without its
 * first character, so `?1` binds from key "1", and a `?` that shares its index with a later `?1`
 * binds from key "1" too. One source is one `$n`, however often it is used.
 */
import type { PgColumnType } from '../schema/catalog';
import { CONDITION_OPERAND, INTEGER_VALUE, TEXT_NOT_NUMBER, TEXT_VS_NUMBER, TIMESTAMP_TEXT_ISO, TIMESTAMP_TEXT_SQLITE, type ParamSlot, type ParamSource, type ValueClass, type ValueClasses } from './types';
import type { Token } from './tokenizer';

export interface ParamInfo {
  /** The source of each parameter token, by token. */
  sources: Map<Token, ParamSource>;
  namedParams: string[];
  /** Indexes without a name, gaps included: how many anonymous values the statement takes. */
  positionalCount: number;
}

export function readParams(tokens: Token[]): ParamInfo {
  const indexOf = new Map<Token, number>();
  const nameOfIndex = new Map<number, string>();
  const indexOfName = new Map<string, number>();
  let highest = 0;
  for (const t of tokens) {
    if (t.type !== 'param') continue;
    let index: number;
    if (t.text === '?') {
      index = ++highest;
    } else if (/^\?\d+$/.test(t.text)) {
      index = Number(t.text.slice(1));
      if (index > highest) highest = index;
      if (!nameOfIndex.has(index)) nameOfIndex.set(index, t.text);
    } else {
      index = indexOfName.get(t.text) ?? ++highest;
      if (!nameOfIndex.has(index)) nameOfIndex.set(index, t.text);
    }
    if (!indexOfName.has(nameOfIndex.get(index) ?? '')) {
      const name = nameOfIndex.get(index);
      if (name !== undefined) indexOfName.set(name, index);
    }
    indexOf.set(t, index);
  }
  const anonymousPosition = new Map<number, number>();
  const named: string[] = [];
  for (let index = 1; index <= highest; index++) {
    const name = nameOfIndex.get(index);
    if (name === undefined) anonymousPosition.set(index, anonymousPosition.size);
    else if (!named.includes(name.slice(1))) named.push(name.slice(1));
  }
  const sources = new Map<Token, ParamSource>();
  for (const [t, index] of indexOf) {
    const name = nameOfIndex.get(index);
    sources.set(t, name === undefined ? { kind: 'positional', index: anonymousPosition.get(index)! } : { kind: 'named', name: name.slice(1) });
  }
  return { sources, namedParams: named, positionalCount: anonymousPosition.size };
}

/** Target types that send another form of the value than the plain one. */
const OWN_SLOT = new Set<string>([CONDITION_OPERAND, TEXT_VS_NUMBER, INTEGER_VALUE, TEXT_NOT_NUMBER, TIMESTAMP_TEXT_SQLITE, TIMESTAMP_TEXT_ISO]);

function keyOf(source: ParamSource): string {
  if (source.kind === 'positional') return `p:${source.index}`;
  if (source.kind === 'named') return `n:${source.name}`;
  return 'now';
}

/** Allocates `$n` in the order the translated text mentions them. */
export class SlotTable {
  readonly slots: ParamSlot[] = [];
  /** Some parameter takes its type from the value bound (Translation.valueTyped). */
  valueTyped = false;
  private readonly byKey = new Map<string, number>();

  slotFor(source: ParamSource, target?: { table: string; column: string; type: PgColumnType }, echo = false, store = false, storeUntyped = false): number {
    // A parameter echoed as a result column travels tagged: its own `$n`, never shared with a comparison.
    // A parameter used as a condition travels as SQLite's truth of its value: its own `$n` too.
    // A parameter sent in another form of its value (a number, NULL where the form does not apply): its own `$n` per form.
    const key = echo ? `echo:${keyOf(source)}` : target && OWN_SLOT.has(target.type) ? `${target.type}:${keyOf(source)}` : keyOf(source);
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
      if (store) slot.store = true;
      if (store && storeUntyped) slot.storeUntyped = true;
    }
    return n;
  }
}

/**
 * The value classes of a call from its key (one class per source: the anonymous values in order,
 * then the named ones in the order of `namedParams` without repeats), for translate's valueClasses.
 */
export function valueClassesOf(key: string, shape: { positionalCount: number; namedParams: readonly string[] }): ValueClasses {
  const names = [...new Set(shape.namedParams)];
  return {
    key,
    classOf(source: ParamSource): ValueClass | undefined {
      const at = source.kind === 'positional' ? source.index : source.kind === 'named' ? shape.positionalCount + names.indexOf(source.name) : -1;
      return at < 0 || at >= key.length ? undefined : (key[at] as ValueClass);
    },
  };
}
