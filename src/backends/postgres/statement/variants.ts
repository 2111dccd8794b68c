/**
 * Statements whose parameters take their PostgreSQL type from the values bound
 * (Translation.valueTyped: `SELECT ? + 1`, `? IN (0, id)`, a real beside an INTEGER column). SQLite
 * computes with each value as bound, in its own storage class; PostgreSQL types a parameter once
 * per prepared statement. Such a statement runs as translated for the classes of each call's
 * values (integer, real, text, blob, null; see ValueClass): one variant per class key, translated
 * and prepared on the server the first time that key is bound, then kept with the statement.
 * The synchronous backend, AsyncDatabase and shadow mode's applier all choose variants here.
 */
import { valueClassesOf, type Translator } from '../../../translator';
import type { Translation } from '../../../translator/types';
import type { BindingPlan } from '../values/binding';

/** Variants kept per statement; a statement bound with more kinds of values starts afresh. */
const MAX_VARIANTS = 32;

/** The class key of a call's values, or undefined when the statement is the same for every value. */
export function classKeyOf(translation: Translation, plan: BindingPlan, args: ArrayLike<unknown>): string | undefined {
  return translation.valueTyped ? plan.classKey(args) : undefined;
}

/** `base` translated for the value classes of `key` (the translator caches it per key). */
export function translateVariant(translator: Translator, base: Translation, key: string): Translation {
  return translator.translate(base.source, valueClassesOf(key, base));
}

/**
 * The class key of a call that binds NULL to every parameter: a variant PostgreSQL can always
 * type (each NULL takes the type of its place), described at prepare when the translation with
 * untyped parameters cannot be ('could not determine data type of parameter $1').
 */
export function nullKey(translation: Translation): string {
  return 'n'.repeat(translation.positionalCount + new Set(translation.namedParams).size);
}

/**
 * Describes `translation` at prepare; when PostgreSQL cannot type its parameters without values
 * (Translation.valueTyped), the variant with NULL everywhere, which has the same result columns.
 * A statement that fails both ways fails with the variant's error: the first one may only say that
 * a parameter has no type, which no call will meet.
 */
export function describeTyped<F>(translator: Translator, translation: Translation, describe: (t: Translation) => F): F {
  try {
    return describe(translation);
  } catch (error) {
    if (!translation.valueTyped) throw error;
    return describe(translateVariant(translator, translation, nullKey(translation)));
  }
}

/** describeTyped for a describe that answers asynchronously. */
export async function describeTypedAsync<F>(translator: Translator, translation: Translation, describe: (t: Translation) => Promise<F>): Promise<F> {
  try {
    return await describe(translation);
  } catch (error) {
    if (!translation.valueTyped) throw error;
    return await describe(translateVariant(translator, translation, nullKey(translation)));
  }
}

/** Two translations that run as the same prepared statement with the same binding. */
export function sameStatement(a: Translation, b: Translation): boolean {
  if (a.text !== b.text || a.slots.length !== b.slots.length) return false;
  return a.slots.every((slot, i) => slot.targetType === b.slots[i]!.targetType && slot.echo === b.slots[i]!.echo && slot.store === b.slots[i]!.store);
}

/** A bounded cache of one statement's variants by class key. */
export class VariantCache<T> {
  readonly #byKey = new Map<string, T>();

  get(key: string): T | undefined {
    return this.#byKey.get(key);
  }

  set(key: string, value: T): T {
    if (this.#byKey.size >= MAX_VARIANTS) this.#byKey.clear();
    this.#byKey.set(key, value);
    return value;
  }
}
