/**
 * Compares keys as SQLite's BINARY collation and PostgreSQL's "C" collation do: by UTF-8 bytes.
 * JavaScript's `<` compares UTF-16 units, which agrees except where a character above U+FFFF (a
 * surrogate pair) meets one in U+E000..U+FFFF, so only that case takes the slow path.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return Buffer.compare(Buffer.from(a.slice(i)), Buffer.from(b.slice(i)));
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
