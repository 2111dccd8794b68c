/**
 * The modes every layer speaks of: how rows are shaped, and how a transaction begins.
 * Declared once; the facade, the PostgreSQL core and shadow mode import them from here.
 */

/** better-sqlite3's row shapes: one at a time (`pluck()`, `raw()`, `expand()` switch between them). */
export type RowShape = 'object' | 'pluck' | 'raw' | 'expand';

/** How a statement reads its rows. */
export interface ReadMode {
  readonly shape: RowShape;
  /** Integers come back as BigInt. */
  readonly safeIntegers: boolean;
}

/** The default read mode: objects, numbers. */
export const OBJECT_ROWS: ReadMode = Object.freeze({ shape: 'object', safeIntegers: false });

/** How a transaction begins: BEGIN DEFERRED (the default), IMMEDIATE or EXCLUSIVE. */
export type TransactionMode = 'deferred' | 'immediate' | 'exclusive';
