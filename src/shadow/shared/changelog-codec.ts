/**
 * One committed transaction as a row of the change log: its write ops in the mirror's wire form
 * (mirror-wire.ts, eight slots per op, a statement's SQL text once per row), as JSON. JSON has no
 * bytes, big integers or non-finite numbers, so those travel tagged: a Buffer or Uint8Array as
 * {"$b": base64}, a bigint as {"$i": "digits"}, NaN and the infinities as {"$n": "NaN"}; an
 * object of the caller's that could be taken for a tag (one key starting with "$") is wrapped
 * as {"$o": [key, value]}. Each row decodes on its own: nothing is shared between rows.
 */
import type { MirrorOp } from './mirror-protocol';
import { WireDecoder, WireEncoder } from './mirror-wire';

export function encodeOps(ops: readonly MirrorOp[]): string {
  const body = new WireEncoder().encode(ops);
  return JSON.stringify(tag(body));
}

export function decodeOps(text: string): MirrorOp[] {
  const body = JSON.parse(text, untag) as unknown[];
  const ops: MirrorOp[] = [];
  new WireDecoder().decode(body, ops);
  for (const op of ops) delete op.more;
  return ops;
}

/** `value` with every JSON-less value tagged; unchanged (not copied) when there is none. */
function tag(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : { $n: String(value) };
    case 'bigint':
      return { $i: value.toString() };
    case 'object': {
      if (value === null) return null;
      if (ArrayBuffer.isView(value)) return { $b: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
      if (Array.isArray(value)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          const t = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : tag(v);
          if (t !== v && !out) out = value.slice(0, i);
          if (out) out.push(t);
        }
        return out ?? value;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let out: Record<string, unknown> | undefined;
      for (const key of keys) {
        const v = record[key];
        const t = tag(v);
        if (t !== v && !out) out = { ...record };
        if (out) out[key] = t;
      }
      const result = out ?? record;
      return keys.length === 1 && keys[0]!.startsWith('$') ? { $o: [keys[0], result[keys[0]!]] } : result;
    }
    default:
      return value;
  }
}

function untag(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== 1) return value;
  const key = keys[0]!;
  const v = record[key];
  if (key === '$b' && typeof v === 'string') return Buffer.from(v, 'base64');
  if (key === '$i' && typeof v === 'string') return BigInt(v);
  if (key === '$n' && typeof v === 'string') return Number(v);
  if (key === '$o' && Array.isArray(v) && typeof v[0] === 'string') return { [v[0]]: v[1] };
  return value;
}
