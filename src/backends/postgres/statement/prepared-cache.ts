/**
 * What the sync and async PostgreSQL backends share when they prepare: the better-sqlite3 checks on
 * the SQL string, one translation per statement, and a cache of prepared statements by SQL text
 * that is valid for one catalog (DDL reads the catalog again, and starts a new cache).
 */
import type { SchemaCatalog } from '../../../schema/catalog';
import { splitStatements, type Translator } from '../../../translator';
import type { Translation } from '../../../translator/types';
import type { PreparedStatement } from './prepared';

/** Translates exactly one statement, refusing none or several as better-sqlite3 does. */
export function translateOne(source: string, translator: Translator): Translation {
  const count = splitStatements(source).length;
  if (count === 0) throw new RangeError('The supplied SQL string contains no statements');
  if (count > 1) throw new RangeError('The supplied SQL string contains more than one statement');
  return translator.translate(source);
}

export class PreparedCache {
  #byText = new Map<string, PreparedStatement>();
  #catalog: SchemaCatalog | undefined;

  /** The statement prepared for `source` under `catalog`, if any (a new catalog empties the cache). */
  get(source: string, catalog: SchemaCatalog): PreparedStatement | undefined {
    if (catalog !== this.#catalog) {
      this.#byText = new Map();
      this.#catalog = catalog;
    }
    return this.#byText.get(source);
  }

  set(source: string, prepared: PreparedStatement): void {
    this.#byText.set(source, prepared);
  }
}
