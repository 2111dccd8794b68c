/**
 * createTranslator: a memoised translate() for one connection. Results (and errors) are cached per
 * catalog object, so a new catalog (read again after DDL) starts a new cache; the cache is bounded.
 */
import type { SchemaCatalog } from '../schema/catalog';
import { translate, type TranslateOptions } from './translate';
import type { Translation } from './types';
import { metricsRecorder } from '../metrics/record';

export interface Translator {
  translate(sql: string): Translation;
  /** Forgets every cached translation (e.g. after the overrides file changed). */
  clear(): void;
}

const MAX_ENTRIES = 5000;

export function createTranslator(catalogProvider: () => SchemaCatalog, options: TranslateOptions = {}): Translator {
  let catalog: SchemaCatalog | undefined;
  let cache = new Map<string, Translation | Error>();
  return {
    translate(sql: string): Translation {
      const current = catalogProvider();
      if (current !== catalog) {
        catalog = current;
        cache = new Map();
      }
      let hit = cache.get(sql);
      metricsRecorder().translation(hit !== undefined);
      if (hit === undefined) {
        try {
          hit = translate(sql, current, options);
        } catch (error) {
          if (!(error instanceof Error)) throw error;
          hit = error;
        }
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(sql, hit);
      }
      if (hit instanceof Error) throw hit;
      return hit;
    },
    clear(): void {
      cache = new Map();
    },
  };
}
