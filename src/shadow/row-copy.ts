/**
 * Snapshots of what the caller passed and got back, taken when an op is enqueued: the op leaves
 * for the worker a little later, and by then the application may have changed its objects (a
 * parameters object reused in a loop, a row it annotates).
 */
import type { RowShape } from '../adapter/statement';

export function copyArgs(args: unknown[]): unknown[] {
  const out = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    out[i] = a === null || typeof a !== 'object' || ArrayBuffer.isView(a) ? a : Array.isArray(a) ? a.slice() : { ...(a as object) };
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
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = copyRow(rows[i], shape);
  return out;
}
