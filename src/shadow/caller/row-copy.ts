/**
 * Snapshots of what the caller passed and got back, taken when an op is enqueued: the op leaves
 * for the worker a little later, and by then the application may have changed its objects (a
 * parameters object reused in a loop, a row it annotates).
 */
import type { RowShape } from '../../contracts';

export function copyArgs(args: unknown[]): unknown[] {
  // The common case: only primitives (and byte views, sent as they are). The array itself is the
  // facade's own (rest parameters, or the bind() list, never changed afterwards): no copy needed.
  let i = 0;
  while (i < args.length) {
    const a = args[i];
    if (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a)) break;
    i++;
  }
  if (i === args.length) return args;
  const out: unknown[] = []; // packed: see flattenRows
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    out.push(a === null || typeof a !== 'object' || ArrayBuffer.isView(a) ? a : Array.isArray(a) ? a.slice() : { ...(a as object) });
  }
  return out;
}

export function copyRow(row: unknown, shape: RowShape): unknown {
  if (row === null || typeof row !== 'object') return row;
  // A plucked value is a value, not a row: a BLOB comes back as a Buffer, copied as bytes.
  if (shape === 'pluck') return ArrayBuffer.isView(row) ? Buffer.from(row.buffer.slice(row.byteOffset, row.byteOffset + row.byteLength)) : row;
  if (shape === 'raw') return (row as unknown[]).slice();
  if (shape === 'expand') {
    const out: Record<string, unknown> = {};
    for (const key in row as Record<string, unknown>) out[key] = { ...((row as Record<string, object>)[key]) };
    return out;
  }
  return { ...(row as object) };
}

export function copyRows(rows: unknown[], shape: RowShape): unknown[] {
  const out: unknown[] = []; // packed: see flattenRows
  for (let i = 0; i < rows.length; i++) out.push(copyRow(rows[i], shape));
  return out;
}

/**
 * Object rows as one flat array of values, `columns.length` per row, in the order of `columns`
 * (the rows' own keys, which is what the worker rebuilds them with: see shared/mirror-wire.ts). Returns
 * undefined when a row's keys are not exactly `columns` (the caller learns them again).
 * Arrays that cross to the worker are built by push, never `new Array(n)`: a holey array is
 * serialised element by element with its index (V8's sparse form), twice the bytes and time.
 */
export function flattenRows(rows: readonly unknown[], columns: readonly string[]): unknown[] | undefined {
  const width = columns.length;
  const out: unknown[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    let j = 0;
    for (const key in row) {
      if (key !== columns[j]) return undefined;
      out.push(row[key]);
      j++;
    }
    if (j !== width) return undefined;
  }
  return out;
}

/** The column list of an object row, or undefined when it cannot travel as names + values. */
export function columnsOf(row: unknown): string[] | undefined {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return undefined;
  const keys = Object.keys(row);
  // A column named __proto__ cannot be rebuilt by assignment: such rows travel as objects.
  return keys.length === 0 || keys.includes('__proto__') ? undefined : keys;
}
