/**
 * The token tree the rules rewrite: parentheses become groups, and rewritten constructs become
 * templates that embed the (already rewritten) nodes of their operands, so parameters inside them
 * are still numbered by the renderer and literals are still copied verbatim.
 */
import type { PgColumnType } from '../schema/catalog';
import { TranslationError } from '../adapter/errors';
import { isTrivia, type Token } from './tokenizer';

export interface Group {
  readonly kind: 'group';
  items: Node[];
  /** Offset of `(` and of `)` in the source (-1 for generated groups). */
  start: number;
  end: number;
  /**
   * A value stored into a TEXT column or one declared without a type, whose type is known only
   * once its nodes are rewritten (rules/stored-class.ts, storedAfterRewrite).
   */
  store?: { kind: 'text' | 'untyped'; column: string };
}

/** Generated SQL: text pieces and embedded node lists. */
export interface Tpl {
  readonly kind: 'tpl';
  parts: Array<string | Node[]>;
  /** The PostgreSQL type of the expression, when the rule knows it. */
  type?: PgColumnType;
  /** A json_extract()/->> result column: jsonb that the row shaper turns into SQLite's value. */
  jsonScalar?: boolean;
  /**
   * A json_extract()/->> value inside an expression (SQLite's value as text here): its jsonb, so
   * that a comparison can compare the JSON value's own type, as SQLite does (no-affinity.ts).
   */
  jsonValue?: Array<string | Node[] | Node>;
  /** The source text it replaces ([start, end) offsets), for a result column's name. */
  span?: [number, number];
  /** A CAST's type: SQLite gives the expression that type's affinity, as a column of that type. */
  affinity?: PgColumnType;
  /**
   * A numeric that SQLite holds as an INTEGER when integral (within 64 bits), else a REAL, as a
   * NUMERIC column's values: CAST(text AS NUMERIC).
   */
  integralInteger?: boolean;
}

/** The statement's single evaluation of 'now', bound by the adapter (slot kind 'now'). */
export interface NowRef {
  readonly kind: 'now';
}

export type Node = Token | Group | Tpl | NowRef;

export function tpl(parts: Array<string | Node[] | Node>, type?: PgColumnType): Tpl {
  return { kind: 'tpl', parts: parts.map((p) => (typeof p === 'string' || Array.isArray(p) ? p : [p])), type };
}

export function buildTree(tokens: Token[], sql: string): Node[] {
  const stack: Array<{ items: Node[]; start: number }> = [{ items: [], start: -1 }];
  for (const t of tokens) {
    if (t.type === 'lparen') stack.push({ items: [], start: t.start });
    else if (t.type === 'rparen') {
      const done = stack.pop()!;
      if (stack.length === 0) throw new TranslationError(`Unbalanced ")" at offset ${t.start}.`, ')', sql);
      stack[stack.length - 1].items.push({ kind: 'group', items: done.items, start: done.start, end: t.start });
    } else stack[stack.length - 1].items.push(t);
  }
  if (stack.length !== 1) throw new TranslationError('Unbalanced "(": a parenthesis is not closed.', '(', sql);
  return stack[0].items;
}

export function isToken(n: Node | undefined): n is Token {
  return n !== undefined && n.kind === 'token';
}
export function isGroup(n: Node | undefined): n is Group {
  return n !== undefined && n.kind === 'group';
}
export function isSig(n: Node): boolean {
  return !(n.kind === 'token' && isTrivia(n));
}
/** A token of one type (a narrowing that still leaves other tokens in the false branch). */
export type TokenOf<T extends Token['type']> = Token & { type: T };

export function isWord(n: Node | undefined, ...words: string[]): n is TokenOf<'word'> {
  return isToken(n) && n.type === 'word' && (words.length === 0 || words.includes(n.value));
}
export function isOp(n: Node | undefined, ...ops: string[]): n is TokenOf<'op'> {
  return isToken(n) && n.type === 'op' && (ops.length === 0 || ops.includes(n.text));
}
export function isType<T extends Token['type']>(n: Node | undefined, type: T): n is TokenOf<T> {
  return isToken(n) && n.type === type;
}

/** Index of the next significant node after i, or -1. */
export function nextSig(nodes: Node[], i: number): number {
  for (let j = i + 1; j < nodes.length; j++) if (isSig(nodes[j])) return j;
  return -1;
}
/** Index of the previous significant node before i, or -1. */
export function prevSig(nodes: Node[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (isSig(nodes[j])) return j;
  return -1;
}
export function sigNodes(nodes: Node[]): Node[] {
  return nodes.filter(isSig);
}
export function trimTrivia(nodes: Node[]): Node[] {
  let a = 0;
  let b = nodes.length;
  while (a < b && !isSig(nodes[a])) a++;
  while (b > a && !isSig(nodes[b - 1])) b--;
  return nodes.slice(a, b);
}

/** Splits a node list at its top-level commas (never inside parentheses). */
export function splitCommas(nodes: Node[]): Node[][] {
  const parts: Node[][] = [[]];
  for (const n of nodes) {
    if (isType(n, 'comma')) parts.push([]);
    else parts[parts.length - 1].push(n);
  }
  return parts;
}

export function joinCommas(parts: Node[][]): Node[] {
  const out: Node[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(tpl([',']));
    out.push(...p);
  });
  return out;
}

/** The source text a list of original nodes spans (templates have none). */
export function sourceSpan(nodes: Node[], sql: string): string | undefined {
  const t = trimTrivia(nodes);
  if (t.length === 0) return undefined;
  const start = startOf(t[0]);
  const end = endOf(t[t.length - 1]);
  return start < 0 || end < 0 ? undefined : sql.slice(start, end);
}
export function startOf(n: Node): number {
  return n.kind === 'token' ? n.start : n.kind === 'group' ? n.start : n.kind === 'tpl' ? (n.span?.[0] ?? -1) : -1;
}
export function endOf(n: Node): number {
  return n.kind === 'token' ? n.start + n.text.length : n.kind === 'group' && n.end >= 0 ? n.end + 1 : n.kind === 'tpl' ? (n.span?.[1] ?? -1) : -1;
}

/** Whether a parameter occurs anywhere in `nodes`, inside groups and templates too. */
export function containsParam(nodes: readonly Node[]): boolean {
  return nodes.some((n) => (n.kind === 'token' ? n.type === 'param' : n.kind === 'group' ? containsParam(n.items) : n.kind === 'tpl' ? n.parts.some((p) => typeof p !== 'string' && containsParam(p)) : false));
}

/**
 * The branches (THEN and ELSE values) of the CASE at `nodes[at]`, the index after its END, and
 * whether it has an ELSE (without one, a CASE no WHEN matches is NULL).
 */
export function caseBranches(nodes: Node[], at: number): { branches: Node[][]; end: number; hasElse: boolean } {
  const branches: Node[][] = [];
  let depth = 0;
  let from = -1;
  let hasElse = false;
  for (let i = at; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (isWord(n, 'CASE')) depth++;
    const top = depth === 1;
    if (isWord(n, 'END')) depth--;
    if (!top || !isWord(n, 'WHEN', 'THEN', 'ELSE', 'END')) continue;
    if (from !== -1) branches.push(nodes.slice(from, i));
    from = isWord(n, 'THEN', 'ELSE') ? i + 1 : -1;
    if (isWord(n, 'ELSE')) hasElse = true;
    if (depth === 0) return { branches, end: i + 1, hasElse };
  }
  return { branches, end: nodes.length, hasElse };
}

/** The parameter an operand consists of, inside any parentheses (`?`, `((?))`), if it is one. */
export function loneParam(operand: Node[]): Token | undefined {
  const s = sigNodes(operand);
  if (s.length === 1 && isGroup(s[0])) return loneParam(s[0].items);
  return s.length === 1 && isType(s[0], 'param') ? s[0] : undefined;
}
