/**
 * A value bound as a branch of a CASE, or as a column of one SELECT of a compound (UNION,
 * INTERSECT, EXCEPT), or as an argument of COALESCE, IFNULL, IIF (its two values) or NULLIF, beside
 * values of another storage class: SQLite returns each value as it is
 * (`CASE WHEN c THEN ? ELSE '10' END` bound to a number gives the number or the text '10'),
 * PostgreSQL gives a CASE, a compound's column and these functions one type (the number would make '10' the number
 * 10, or the types do not match). In a translation specialised to the values bound, the value's
 * class is known: when it differs from another branch's (a text beside a number, a blob beside
 * anything else; NULL and an integer beside a real are no difference), the call is refused when it
 * binds, SQLITE_MISMATCH naming the construct. A branch whose type the translator cannot tell is
 * left to PostgreSQL.
 */
import { sqliteError } from '../../adapter/errors';
import { fail, type Ctx } from '../context';
import type { Token } from '../tokenizer';
import { inferType, isNumericType, MIXED_NUMERIC } from '../infer-type';
import { caseBranches, isGroup, isType, isWord, nextSig, sigNodes, splitCommas, type Node } from '../nodes';

type Class = 'number' | 'text' | 'blob';

const NAMES: Record<Class, string> = { number: 'a number', text: 'a text', blob: 'a Buffer (a blob)' };
const KINDS: Record<Class, string> = { number: 'numbers', text: 'text', blob: 'blobs' };

/** A branch's class: its bound value's when it is one parameter, else its type's; undefined when not known or NULL. */
function classOf(branch: Node[], ctx: Ctx): { cls: Class; bound: boolean } | undefined {
  let s = sigNodes(branch);
  while (s.length === 1 && isGroup(s[0]) && !isWord(sigNodes(s[0].items)[0], 'SELECT', 'WITH', 'VALUES')) s = sigNodes(s[0].items);
  if (s.length === 0 || (s.length === 1 && isWord(s[0], 'NULL'))) return undefined;
  if (s.length === 1 && isType(s[0], 'param')) {
    const v = s[0].note?.valueClass;
    if (v === undefined || v === 'n') return undefined;
    return { cls: v === 't' ? 'text' : v === 'b' ? 'blob' : 'number', bound: true };
  }
  const type = inferType(s, ctx);
  if (type === 'text') return { cls: 'text', bound: false };
  if (type === 'bytea') return { cls: 'blob', bound: false };
  if (isNumericType(type) || type === 'boolean' || type === MIXED_NUMERIC) return { cls: 'number', bound: false };
  return undefined;
}

function check(branches: Node[][], construct: string, what: string, ctx: Ctx): void {
  const classes = branches.map((b) => classOf(b, ctx)).filter((c) => c !== undefined);
  const bound = classes.find((c) => c.bound && classes.some((o) => o.cls !== c.cls));
  if (!bound) return;
  const other = classes.find((o) => o.cls !== bound.cls)!;
  throw sqliteError(
    `datatype mismatch: ${NAMES[bound.cls]} bound as ${construct} beside ${KINDS[other.cls]}: SQLite returns each value as it is, ` +
      `PostgreSQL gives the ${what} one type; bind a value of the same class as the others, or CAST them to one type`,
    'SQLITE_MISMATCH',
  );
}


const FUNCTIONS: Record<string, string> = {
  COALESCE: 'an argument of COALESCE',
  IFNULL: 'an argument of IFNULL',
  IIF: 'a branch of IIF',
  NULLIF: 'an argument of NULLIF',
};

/**
 * COALESCE/IFNULL whose first argument not surely NULL is a value bound or a text literal: that
 * value is the answer, whatever the others (rules/scalar-functions.ts, knownFirst).
 */
function answeredByFirst(args: Node[][]): boolean {
  for (const a of args) {
    const s = sigNodes(a);
    if (s.length !== 1) return false;
    const n = s[0]!;
    if (isWord(n, 'NULL') || (isType(n, 'param') && n.note?.valueClass === 'n')) continue;
    return isType(n, 'string') || (isType(n, 'param') && n.note?.valueClass !== undefined);
  }
  return false;
}

const COMPOUND = ['UNION', 'INTERSECT', 'EXCEPT'];
const LIST_END = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'WINDOW', ...COMPOUND];

/** The result columns of each SELECT of a compound at this level (aliases left out). */
function compoundColumns(nodes: Node[]): Node[][][] | undefined {
  if (!nodes.some((n) => isWord(n, ...COMPOUND))) return undefined;
  const members: Node[][][] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (!isWord(nodes[i], 'SELECT')) continue;
    let start = i + 1;
    while (start < nodes.length && (isType(nodes[start], 'ws') || isType(nodes[start], 'comment') || isWord(nodes[start], 'DISTINCT', 'ALL'))) start++;
    let end = start;
    while (end < nodes.length && !isWord(nodes[end], ...LIST_END)) end++;
    members.push(splitCommas(nodes.slice(start, end)).map(withoutAlias));
    i = end - 1;
  }
  return members.length > 1 ? members : undefined;
}

function withoutAlias(item: Node[]): Node[] {
  const s = sigNodes(item);
  const as = s.findIndex((n) => isWord(n, 'AS'));
  return as === -1 ? item : s.slice(0, as);
}

/**
 * A text literal beside a number (not a value bound) as a CASE branch, a compound's column or an
 * argument of COALESCE, IFNULL, IIF (its two values) or scalar MAX/MIN: SQLite returns the text as text on the rows
 * that take it, PostgreSQL reads the literal as the number's type (`CASE WHEN c THEN i ELSE ' 3 '
 * END` and `ifnull(i, ' 3 ')` give 3) or refuses it. Refused at prepare.
 */
function checkLiterals(branches: Node[][], construct: string, ctx: Ctx): void {
  const literal = branches.map((b) => sigNodes(b)).find((s) => s.length === 1 && isType(s[0], 'string'));
  if (!literal) return;
  if (!branches.some((b) => { const c = classOf(b, ctx); return c !== undefined && !c.bound && c.cls === 'number'; })) return;
  fail(ctx, `${construct} of a number beside the text ${(literal[0] as Token).text}`, 'SQLite keeps each value\'s own type (the text stays text), PostgreSQL gives the result the number\'s type; CAST the values to one type (CAST(x AS TEXT)), or use a number.');
}

/** The calls of FUNCTIONS at this level whose value may be any of `values` (IIF's two, COALESCE/IFNULL's unless the first answers). */
function functionValues(nodes: Node[]): Array<{ name: string; values: Node[][] }> {
  const calls: Array<{ name: string; values: Node[][] }> = [];
  for (let i = 0; i < nodes.length; i++) {
    const name = isWord(nodes[i], ...Object.keys(FUNCTIONS)) ? (nodes[i] as { text: string }).text.toUpperCase() : undefined;
    const group = nodes.slice(i + 1).find((n) => !isType(n, 'ws') && !isType(n, 'comment'));
    if (!name || !group || !isGroup(group)) continue;
    const args = splitCommas(group.items);
    if ((name === 'COALESCE' || name === 'IFNULL') && answeredByFirst(args)) continue;
    calls.push({ name, values: name === 'IIF' ? args.slice(1) : args });
  }
  return calls;
}

export function branchClasses(nodes: Node[], ctx: Ctx): Node[] {
  for (let i = 0; i < nodes.length; i++) if (isWord(nodes[i], 'CASE')) checkLiterals(caseBranches(nodes, i).branches, 'a CASE', ctx);
  const compound = compoundColumns(nodes);
  if (compound) for (let c = 0; c < Math.max(...compound.map((m) => m.length)); c++) checkLiterals(compound.map((m) => m[c] ?? []), 'a column of a compound SELECT', ctx);
  const calls = functionValues(nodes);
  // (NULLIF too: SQLite compares the text with the number by class, never equal; PostgreSQL reads
  // the literal as the number: nullif('1', 1) is '1' in SQLite, NULL there.)
  for (const { name, values } of calls) checkLiterals(values, `${name.toLowerCase()}()`, ctx);
  // Scalar max()/min(): SQLite orders text above every number (max('10', 0.5) is '10'), PostgreSQL
  // would read the literal as a number.
  for (let i = 0; i < nodes.length; i++) {
    const group = nodes[nextSig(nodes, i)];
    if (!isWord(nodes[i], 'MAX', 'MIN') || !isGroup(group)) continue;
    const args = splitCommas(group.items);
    if (args.length >= 2) checkLiterals(args, `${(nodes[i] as Token).value.toLowerCase()}()`, ctx);
  }
  // Only a translation specialised to the values bound knows their classes.
  if (!ctx.params.sources.size || !hasValueClass(nodes)) return nodes;
  for (let i = 0; i < nodes.length; i++) {
    if (!isWord(nodes[i], 'CASE')) continue;
    const { branches } = caseBranches(nodes, i);
    check(branches, 'a branch of CASE', 'CASE', ctx);
  }
  for (const { name, values } of calls) check(values, FUNCTIONS[name]!, `${name.toLowerCase()}() result`, ctx);
  const members = compoundColumns(nodes);
  if (members) {
    const width = Math.max(...members.map((m) => m.length));
    for (let c = 0; c < width; c++) check(members.map((m) => m[c] ?? []), 'a column of a compound SELECT (UNION, INTERSECT, EXCEPT)', 'column', ctx);
  }
  return nodes;
}

function hasValueClass(nodes: Node[]): boolean {
  return nodes.some((n) => (isGroup(n) ? hasValueClass(n.items) : n.kind === 'token' && n.type === 'param' && n.note?.valueClass !== undefined));
}
