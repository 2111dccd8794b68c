/**
 * Values made fit for one JSON line: BigInts and bytes JSON cannot hold become tagged objects,
 * and long texts, big byte arrays and deep nesting are cut, so one divergence stays one small line.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const MAX_TEXT_CHARS = 500;
const MAX_BYTES = 64;
const MAX_DEPTH = 6;

export function toJsonValue(value: unknown, depth = 0): JsonValue {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_TEXT_CHARS ? `${value.slice(0, MAX_TEXT_CHARS)}…[${value.length - MAX_TEXT_CHARS} more characters]` : value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return { $bigint: value.toString() };
    case 'undefined':
      return null;
    case 'object':
      return objectValue(value, depth);
    default:
      return String(value);
  }
}

function objectValue(value: object | null, depth: number): JsonValue {
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const shown: Record<string, JsonValue> = { $bytes: bytes.subarray(0, MAX_BYTES).toString('hex') };
    if (bytes.length > MAX_BYTES) shown.length = bytes.length;
    return shown;
  }
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1));
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toJsonValue(item, depth + 1);
  return out;
}

/** JSON.stringify that cannot throw on BigInts or cycles (a record must always be writable). */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? { $bigint: item.toString() } : item));
  } catch {
    return JSON.stringify(toJsonValue(value));
  }
}
