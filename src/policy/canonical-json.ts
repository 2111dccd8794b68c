/**
 * The registry's canonical JSON: object keys sorted, no spacing, so that two JSON values with the
 * same meaning are the same text whatever their key order and spacing. Shadow mode compares
 * answers by it (shadow/mirror/canonical.ts) and `verify` compares rows by it
 * (migrate/canonical/values.ts): one writer, so both call the same values equal.
 */

/** JSON with object keys sorted; BigInts as their digits, Dates as ISO text, bytes as hex text. */
export function stableJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      return value === null ? 'null' : objectJson(value);
    default:
      return 'null';
  }
}

function objectJson(value: object): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + stableJson(value[i]);
    return out + ']';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('hex'));
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += (i === 0 ? '' : ',') + JSON.stringify(keys[i]) + ':' + stableJson(object[keys[i]!]);
  return out + '}';
}

/**
 * JSON text written by `write` after parsing; text that is not JSON is marked with a leading `?`
 * (never equal to any JSON's text), not thrown.
 */
export function rewriteJson(text: string, write: (value: unknown) => string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `?${text}`;
  }
  return write(value);
}

/** JSON text in canonical form; text that is not JSON is marked with a leading `?`, not thrown. */
export function canonicalJson(text: string): string {
  return rewriteJson(text, stableJson);
}
