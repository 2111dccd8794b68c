/**
 * PostgreSQL's `hashtextextended(text, 0)` (Bob Jenkins' lookup3, as src/common/hashfn.c's
 * hash_bytes_extended computes it on a little-endian server) in JavaScript, so that the SQLite side
 * of `verify` can hash a row text exactly as PostgreSQL does, and both sides sum the hashes of a key
 * range's rows (order-independent: no sort, no concatenation). verify checks once per run that this
 * function and the server agree (a big-endian server would not), and otherwise keeps to md5.
 */

const encoder = new TextEncoder();
let buffer = new Uint8Array(4096);

/** The two 32-bit halves of hashtextextended(text, 0): [high, low], as unsigned numbers. */
export function hashTextExtended(text: string): [number, number] {
  // Worst case 3 bytes per UTF-16 unit.
  if (text.length * 3 > buffer.length) buffer = new Uint8Array(text.length * 3 + 1024);
  const { written } = encoder.encodeInto(text, buffer);
  return hashBytesExtended(buffer, written!);
}

function rot(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export function hashBytesExtended(k: Uint8Array, keylen: number): [number, number] {
  let a = (0x9e3779b9 + keylen + 3923095) | 0;
  let b = a;
  let c = a;
  let len = keylen;
  let i = 0;
  while (len >= 12) {
    a = (a + (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24))) | 0;
    b = (b + (k[i + 4]! | (k[i + 5]! << 8) | (k[i + 6]! << 16) | (k[i + 7]! << 24))) | 0;
    c = (c + (k[i + 8]! | (k[i + 9]! << 8) | (k[i + 10]! << 16) | (k[i + 11]! << 24))) | 0;
    // mix(a, b, c)
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    i += 12;
    len -= 12;
  }
  // The last 11 bytes; the lowest byte of c is reserved for the length (not added here, as PostgreSQL does).
  if (len >= 11) c = (c + (k[i + 10]! << 24)) | 0;
  if (len >= 10) c = (c + (k[i + 9]! << 16)) | 0;
  if (len >= 9) c = (c + (k[i + 8]! << 8)) | 0;
  if (len >= 8) b = (b + (k[i + 7]! << 24)) | 0;
  if (len >= 7) b = (b + (k[i + 6]! << 16)) | 0;
  if (len >= 6) b = (b + (k[i + 5]! << 8)) | 0;
  if (len >= 5) b = (b + k[i + 4]!) | 0;
  if (len >= 4) a = (a + (k[i + 3]! << 24)) | 0;
  if (len >= 3) a = (a + (k[i + 2]! << 16)) | 0;
  if (len >= 2) a = (a + (k[i + 1]! << 8)) | 0;
  if (len >= 1) a = (a + k[i]!) | 0;
  // final(a, b, c)
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return [b >>> 0, c >>> 0];
}

/** A sum of 64-bit hashes modulo 2^64, kept as two 32-bit halves (no BigInt on the hot path). */
export class HashSum {
  private high = 0;
  private low = 0;

  add(text: string): void {
    const [h, l] = hashTextExtended(text);
    const low = this.low + l;
    this.low = low >>> 0;
    this.high = (this.high + h + (low > 0xffffffff ? 1 : 0)) >>> 0;
  }

  /** The sum as PostgreSQL's `sum(hashtextextended(...))` would give it, reduced modulo 2^64, in hex. */
  hex(): string {
    return this.high.toString(16).padStart(8, '0') + this.low.toString(16).padStart(8, '0');
  }
}

/** PostgreSQL's numeric sum of signed 64-bit hashes (as text), reduced modulo 2^64, in hex; '0' for NULL. */
export function sumToHex(sum: string | null): string {
  const value = BigInt.asUintN(64, BigInt(sum ?? '0'));
  return value.toString(16).padStart(16, '0');
}
