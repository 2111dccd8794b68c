/**
 * createTranslator: a memoised translate() for one connection. Results (and errors) are cached per
 * catalog object, so a new catalog (read again after DDL) starts a new cache; the cache is bounded.
 */
import type { SchemaCatalog } from '../schema/catalog';
import { translate, type TranslateOptions } from './translate';
import type { Translation, ValueClasses } from './types';
import { metricsRecorder } from '../metrics/record';

export interface Translator {
  /** `valueClasses`: the translation specialised to the classes of the values bound (Translation.valueTyped). */
  translate(sql: string, valueClasses?: ValueClasses): Translation;
  /** Forgets every cached translation (e.g. after the overrides file changed). */
  clear(): void;
}

const MAX_ENTRIES = 5000;

export function createTranslator(catalogProvider: () => SchemaCatalog, options: TranslateOptions = {}): Translator {
  let catalog: SchemaCatalog | undefined;
  let cache = new Map<string, Translation | Error>();
  return {
    translate(sql: string, valueClasses?: ValueClasses): Translation {
      const current = catalogProvider();
      if (current !== catalog) {
        catalog = current;
        cache = new Map();
      }
      const key = valueClasses ? `${sql}\u0000${valueClasses.key}` : sql;
      let hit = cache.get(key);
      metricsRecorder().translation(hit !== undefined);
      if (hit === undefined) {
        try {
          hit = translate(sql, current, valueClasses ? { ...options, valueClasses } : options);
        } catch (error) {
          if (!(error instanceof Error)) throw error;
          hit = error;
        }
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(key, hit);
      }
      if (hit instanceof Error) throw hit;
      return hit;
    },
    clear(): void {
      cache = new Map();
    },
  };
}
