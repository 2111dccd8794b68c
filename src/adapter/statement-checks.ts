/**
 * better-sqlite3's argument checks and mode rules for a statement, written once: the synchronous
 * `Statement` and the promise API's `AsyncStatement` both apply them, so both answer alike.
 */
import type { ReadMode, RowShape } from '../contracts';

export const NOT_OPEN = 'The database connection is not open';
export const DB_BUSY = 'This database connection is busy executing a query';
export const STMT_BUSY = 'This statement is busy executing a query';
export const BIND_TWICE = 'The bind() method can only be invoked once per statement object';
export const ALREADY_BOUND = 'This statement already has bound parameters';

/** A mode toggle's argument: none means on; anything but a boolean is better-sqlite3's TypeError. */
export function toggleArgument(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw new TypeError('Expected first argument to be a boolean');
  return value;
}

/** `pluck()`, `raw()`, `expand()`: allowed on a reader only; turning one on turns the others off. */
export function withShape(mode: ReadMode, shape: RowShape, toggle: unknown, reader: boolean): ReadMode {
  const on = toggleArgument(toggle);
  if (!reader) throw new TypeError(`The ${shape}() method is only for statements that return data`);
  // Turning a shape off goes back to objects only when it is the current one.
  return { ...mode, shape: on ? shape : mode.shape === shape ? 'object' : mode.shape };
}

/** `safeIntegers()`. */
export function withSafeIntegers(mode: ReadMode, toggle: unknown): ReadMode {
  return { ...mode, safeIntegers: toggleArgument(toggle) };
}

/** `get()`, `all()`, `iterate()` on a statement that returns no data. */
export function requireReader(reader: boolean): void {
  if (!reader) throw new TypeError('This statement does not return data. Use run() instead');
}

/** `columns()` on a statement that returns no data. */
export function requireColumns(reader: boolean): void {
  if (!reader) throw new TypeError('The columns() method is only for statements that return data');
}

/** The arguments a call runs with: those given, or those bound once with `bind()` (then none may be given). */
export function callArguments<Bound>(bound: { value: Bound } | undefined, args: unknown[], bind: (args: unknown[]) => Bound): Bound {
  if (bound) {
    if (args.length > 0) throw new TypeError(ALREADY_BOUND);
    return bound.value;
  }
  return bind(args);
}
