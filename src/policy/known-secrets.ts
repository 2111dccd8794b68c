/**
 * The secret values this process has seen pass through it (read from a secret column, or written
 * into one), remembered for the process's lifetime so that any later appearance of one in any
 * output is replaced by its hash, whatever shape carried it there: an alias, an expression, an
 * error message, JSON text.
 *
 * Only fingerprints are kept, never the values: per length, two 26-bit polynomial hashes of the
 * lower-cased text, mapped to the value's display hash. Finding them
 * in a text is a rolling-hash scan per remembered length, so the cost grows with the text and the
 * number of distinct lengths, not with the number of secrets. Matching is case-insensitive
 * (`upper()`/`lower()` of a secret is caught); a chance collision only hides a few harmless
 * characters. Memory is bounded: past MAX_FORMS the oldest are forgotten.
 */
import { hashSecret } from './secret-columns';

/** Shorter values are not searched for by value (too many innocent matches); their columns still are hashed. */
export const MIN_SECRET_LENGTH = 6;
const MAX_FORMS = 100_000;

// Two hashes modulo primes below 2^26 with bases below 2^26: every product stays exact in a double,
// and the pair packs into one exact integer key (h1 * 2^26 + h2). Fixed bases, so that fingerprints
// made on one thread are found on another (the mirror worker).
const P1 = 67_108_859;
const P2 = 67_108_837;
const B1 = 40_503_533;
const B2 = 52_430_771;
const SHIFT = 67_108_864; // 2^26

/** Lower case without changing the length (a few characters grow when lower-cased: kept as they are). */
function fold(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const c of text) {
    const l = c.toLowerCase();
    out += l.length === c.length ? l : c;
  }
  return out;
}

function fingerprint(text: string): number {
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = (h1 * B1 + c) % P1;
    h2 = (h2 * B2 + c) % P2;
  }
  return h1 * SHIFT + h2;
}

function power(base: number, exponent: number, p: number): number {
  let result = 1;
  for (let i = 0; i < exponent; i++) result = (result * base) % p;
  return result;
}

/** The texts under which a value can appear: as is, escaped inside JSON text, quoted in SQL; Buffers as text and hex. */
export function valueForms(value: unknown): string[] {
  let base: string[];
  if (typeof value === 'string') base = [value];
  else if (value instanceof Uint8Array) {
    const buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    base = [buffer.toString('utf8'), buffer.toString('hex')];
  } else if (typeof value === 'number' || typeof value === 'bigint') base = [String(value)];
  else return [];
  const forms = new Set<string>();
  for (const text of base) {
    if (text.length < MIN_SECRET_LENGTH || /^sha256:[0-9a-f]{16}$/.test(text)) continue;
    forms.add(text);
    forms.add(JSON.stringify(text).slice(1, -1));
    forms.add(JSON.stringify(JSON.stringify(text)).slice(3, -3));
    forms.add(text.replace(/'/g, "''"));
  }
  return [...forms];
}

export class KnownSecrets {
  /** length → fingerprint → display hash. */
  readonly #byLength = new Map<number, Map<number, string>>();
  #forms = 0;
  /** Hashes already learnt (so learning a value again costs one SHA-256 and nothing else). */
  readonly #seen = new Set<string>();
  #version = 0;
  /** Entries learnt since the last drainFresh(), for another thread (bounded). */
  #fresh: Array<[number, number, string]> = [];

  /** How many value forms are remembered. */
  get size(): number {
    return this.#forms;
  }

  /** Changes whenever something new is learnt (callers cache by it). */
  get version(): number {
    return this.#version;
  }

  /** Remembers a secret value (strings, Buffers, numbers; null and short values are ignored). Returns its hash. */
  learn(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const hash = hashSecret(value);
    if (hash === null || this.#seen.has(hash)) return hash;
    const forms = valueForms(value);
    if (forms.length === 0) return hash;
    if (this.#seen.size >= MAX_FORMS) this.#seen.clear();
    this.#seen.add(hash);
    for (const form of forms) this.#add(form, hash);
    this.#version++;
    return hash;
  }

  /** The fingerprints learnt since the last call (to hand to another thread's set with import()). */
  drainFresh(): Array<[number, number, string]> {
    const fresh = this.#fresh;
    this.#fresh = [];
    return fresh;
  }

  import(entries: Iterable<readonly [number, number, string]>): void {
    for (const [length, fp, hash] of entries) {
      let map = this.#byLength.get(length);
      if (!map) this.#byLength.set(length, (map = new Map()));
      if (!map.has(fp)) {
        map.set(fp, hash);
        this.#forms++;
        this.#version++;
      }
    }
  }

  #add(form: string, hash: string): void {
    const text = fold(form);
    let map = this.#byLength.get(text.length);
    if (!map) this.#byLength.set(text.length, (map = new Map()));
    const fp = fingerprint(text);
    if (map.has(fp)) return;
    map.set(fp, hash);
    this.#forms++;
    if (this.#fresh.length < 10_000) this.#fresh.push([text.length, fp, hash]);
    if (this.#forms > MAX_FORMS) this.#forgetOldest();
  }

  #forgetOldest(): void {
    for (const [length, map] of this.#byLength) {
      const first = map.keys().next();
      if (first.done) continue;
      map.delete(first.value);
      this.#forms--;
      if (map.size === 0) this.#byLength.delete(length);
      return;
    }
  }

  /** True when `text` holds a remembered secret. */
  has(text: string): boolean {
    return this.#matches(text).length > 0;
  }

  /** `text` with every remembered secret (any case) replaced by its hash. */
  redact(text: string): string {
    if (this.#forms === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const matches = this.#matches(text);
    if (matches.length === 0) return text;
    // Longest first, then leftmost; overlapping matches are dropped.
    matches.sort((a, b) => b.length - a.length || a.start - b.start);
    const taken: Array<{ start: number; end: number; hash: string }> = [];
    for (const m of matches) {
      const end = m.start + m.length;
      if (taken.some((t) => m.start < t.end && end > t.start)) continue;
      taken.push({ start: m.start, end, hash: m.hash });
    }
    taken.sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const t of taken) {
      out += text.slice(at, t.start) + t.hash;
      at = t.end;
    }
    return out + text.slice(at);
  }

  #matches(text: string): Array<{ start: number; length: number; hash: string }> {
    const found: Array<{ start: number; length: number; hash: string }> = [];
    if (this.#forms === 0) return found;
    const folded = fold(text);
    for (const [length, map] of this.#byLength) {
      if (length > folded.length) continue;
      const out1 = power(B1, length - 1, P1);
      const out2 = power(B2, length - 1, P2);
      let h1 = 0;
      let h2 = 0;
      for (let i = 0; i < length; i++) {
        const c = folded.charCodeAt(i);
        h1 = (h1 * B1 + c) % P1;
        h2 = (h2 * B2 + c) % P2;
      }
      for (let start = 0; ; start++) {
        const hash = map.get(h1 * SHIFT + h2);
        if (hash !== undefined) found.push({ start, length, hash });
        const next = start + length;
        if (next >= folded.length) break;
        const gone = folded.charCodeAt(start);
        const come = folded.charCodeAt(next);
        h1 = (((h1 - ((gone * out1) % P1) + P1) % P1) * B1 + come) % P1;
        h2 = (((h2 - ((gone * out2) % P2) + P2) % P2) * B2 + come) % P2;
      }
    }
    return found;
  }
}

/** The process's one set: every output of the adapter and the CLI is redacted against it. */
export const knownSecrets = new KnownSecrets();
