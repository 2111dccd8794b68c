/**
 * A best-effort static type of an expression: enough to know whether it is text, boolean, JSON,
 * an integer or a real — the storage class SQLite would give its value, as far as the schema and
 * the operators tell. Undefined when it is not known.
 */
import type { PgColumnType } from '../schema/catalog';
import type { Ctx } from './context';
import { caseBranches, isGroup, isOp, isType, isWord, sigNodes, splitCommas, type Node } from './nodes';
import { resolveColumn } from './scope';

const TEXT_FUNCTIONS = new Set(['LOWER', 'UPPER', 'TRIM', 'LTRIM', 'RTRIM', 'BTRIM', 'REPLACE', 'SUBSTR', 'SUBSTRING', 'CONCAT', 'CONCAT_WS', 'HEX', 'CHR']);
const COMPARISON_OPS = ['=', '==', '!=', '<>', '<', '<=', '>', '>='];
const BOOLEAN_WORDS = ['AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'ILIKE', 'GLOB', 'REGEXP', 'BETWEEN', 'EXISTS', 'ISNULL', 'NOTNULL'];
const ARITHMETIC_OPS = ['+', '-', '*', '/', '%'];
const INTEGER_TYPES = new Set(['bigint', 'integer', 'smallint']);
const REAL_TYPES = new Set(['double precision', 'real', 'numeric']);

export function isIntegerType(type: string | undefined): boolean {
  return type !== undefined && INTEGER_TYPES.has(type);
}
export function isRealType(type: string | undefined): boolean {
  return type !== undefined && REAL_TYPES.has(type);
}
/**
 * An expression whose value is an integer on some rows and a real on others (COALESCE(int, real),
 * a CASE with both): one PostgreSQL type cannot hold that, so integer division of it is refused.
 */
export const MIXED_NUMERIC = 'sqlite mixed integer/real';

/** The one type of values that come from several branches (COALESCE, CASE, IIF, scalar max). */
export function branchType(types: Array<PgColumnType | undefined>): PgColumnType | undefined {
  const known = types.filter((t): t is PgColumnType => t !== undefined);
  if (known.includes(MIXED_NUMERIC)) return MIXED_NUMERIC;
  const integer = known.some((t) => isIntegerType(t) || t === 'boolean');
  // A NUMERIC value is an INTEGER on the rows where it is integral: beside a REAL, mixed too.
  const numeric = known.includes('numeric');
  const real = known.some((t) => isRealType(t) && t !== 'numeric');
  if ((integer || numeric) && real) return MIXED_NUMERIC;
  if (integer && numeric) return MIXED_NUMERIC;
  return known[0];
}

export function isNumericType(type: string | undefined): boolean {
  return isIntegerType(type) || isRealType(type);
}

/** SQLite's type for an integer literal: INTEGER within 64 bits, REAL beyond. */
function numberLiteralType(text: string): PgColumnType {
  if (/^0[xX]/.test(text) || text === '-9223372036854775808') return 'bigint';
  if (!/^\d+$/.test(text)) return 'double precision';
  return BigInt(text) <= 9223372036854775807n ? 'bigint' : 'double precision';
}

/** A binary + - * / % at position i (not a sign: it follows an operand). */
export function isBinaryArithmetic(s: Node[], i: number): boolean {
  if (!isOp(s[i], ...ARITHMETIC_OPS)) return false;
  const p = s[i - 1];
  if (p === undefined) return false;
  if (isOp(p) || isType(p, 'comma')) return false;
  if (isWord(p) && !isOperandWord(p.value)) return false;
  return true;
}

/** A word that ends an operand (a column name, NULL, END of CASE), not a keyword before one. */
function isOperandWord(value: string): boolean {
  return !['SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'WHEN', 'THEN', 'ELSE', 'CASE', 'ON', 'BY', 'HAVING', 'SET', 'VALUES', 'DISTINCT', 'ALL', 'IS', 'IN', 'LIKE', 'GLOB', 'BETWEEN', 'AS', 'RETURNING', 'LIMIT', 'OFFSET', 'ESCAPE', 'FROM', 'ILIKE', 'DESC', 'ASC'].includes(value);
}

export function inferType(nodes: Node[], ctx: Ctx): PgColumnType | undefined {
  const s = sigNodes(nodes);
  if (s.length === 0) return undefined;
  if (isWord(s[0], 'SELECT', 'WITH', 'VALUES')) return undefined; // a subquery
  const hasCase = s.some((n) => isWord(n, 'CASE'));
  // A comparison outside any CASE ... END (`CASE ... END >= 1`): the words inside a CASE do not count.
  if (outsideCase(s).some((n) => isOp(n, ...COMPARISON_OPS) || isWord(n, ...BOOLEAN_WORDS))) return 'boolean';
  if (s.some((n) => isOp(n, '||'))) return 'text';
  // Bitwise operators bind more loosely than + - * / % and always give a 64-bit integer.
  if (!hasCase && s.some((n, i) => i > 0 && isOp(n, '<<', '>>', '&', '|'))) return 'bigint';
  if (hasCase && isWord(s[0], 'CASE')) return caseType(s, ctx);
  if (s.length === 1) {
    const n = s[0];
    if (n.kind === 'tpl') return n.type;
    if (isType(n, 'string')) return 'text';
    if (isType(n, 'param') && n.note?.cast === 'text') return 'text';
    // A parameter no column types, in a translation specialised to the values bound: its value's class.
    if (isType(n, 'param') && !n.note?.target && n.note?.valueType) return n.note.valueType;
    if (isType(n, 'blob')) return 'bytea';
    if (isType(n, 'number')) return numberLiteralType(n.text);
    if (isWord(n, 'TRUE', 'FALSE')) return 'boolean';
    if (isGroup(n)) return inferType(n.items, ctx);
  }
  // A sign before an operand: the operand's type.
  if (isOp(s[0], '-', '+') && !s.slice(1).some((_, i) => isBinaryArithmetic(s, i + 1))) {
    const t = inferType(s.slice(1), ctx);
    return t === 'boolean' ? 'bigint' : t;
  }
  if (!hasCase && s.some((_, i) => isBinaryArithmetic(s, i))) return arithmeticType(s, ctx);
  if (s.length === 2 && isWord(s[0]) && isGroup(s[1]) && TEXT_FUNCTIONS.has(s[0].value)) return 'text';
  if (s.length === 2 && isWord(s[0]) && isGroup(s[1])) {
    const type = functionType(s[0].value, splitCommas(s[1].items), ctx);
    if (type !== undefined) return type;
  }
  return resolveColumn(nodes, ctx.scope)?.column.type;
}

/**
 * The type of a number-valued SQLite function's value, before the rules rewrite the call (a rule
 * that reads the source, such as a text literal's comparison affinity, sees the call as written).
 */
function functionType(name: string, args: Node[][], ctx: Ctx): PgColumnType | undefined {
  switch (name) {
    case 'LENGTH': case 'OCTET_LENGTH': case 'INSTR': case 'UNICODE': case 'SIGN': case 'COUNT': case 'UNIXEPOCH':
      return 'bigint';
    case 'ROUND': case 'TOTAL': case 'AVG': case 'JULIANDAY':
      return 'double precision';
    case 'ABS': case 'CEIL': case 'CEILING': case 'FLOOR': {
      const type = args.length === 1 ? inferType(args[0]!, ctx) : undefined;
      return isNumericType(type) || type === MIXED_NUMERIC ? type : undefined;
    }
    case 'COALESCE': case 'IFNULL':
      return numericBranches(args, ctx);
    case 'IIF':
      return args.length === 3 ? numericBranches(args.slice(1), ctx) : undefined;
    case 'MAX': case 'MIN':
      return args.length >= 2 ? numericBranches(args, ctx) : undefined;
    default:
      return undefined;
  }
}

/** The one type of numeric branches (NULL aside, every one typed and a number), else unknown. */
function numericBranches(args: Node[][], ctx: Ctx): PgColumnType | undefined {
  const values = args.filter((a) => !(sigNodes(a).length === 1 && isWord(sigNodes(a)[0], 'NULL')));
  const types = values.map((a) => inferType(a, ctx));
  if (types.length === 0 || !types.every((t) => isNumericType(t) || t === MIXED_NUMERIC || t === 'boolean')) return undefined;
  return branchType(types);
}

/** The nodes of `s` not inside a CASE ... END (the CASE and END words excluded). */
function outsideCase(s: Node[]): Node[] {
  let depth = 0;
  return s.filter((n) => {
    if (isWord(n, 'CASE')) depth++;
    else if (isWord(n, 'END') && depth > 0) {
      depth--;
      return false;
    }
    return depth === 0;
  });
}

/**
 * The type of a + - * / % chain: real when one operand is a real; else integer when every operand
 * is; else mixed when one is a NUMERIC value or text read as a number (an INTEGER or a REAL by row
 * in SQLite).
 */
function arithmeticType(s: Node[], ctx: Ctx): PgColumnType | undefined {
  const operands: Node[][] = [[]];
  s.forEach((n, i) => {
    if (isBinaryArithmetic(s, i)) operands.push([]);
    else operands[operands.length - 1].push(n);
  });
  let real = false;
  let mixed = false;
  for (const o of operands) {
    const t = inferType(o, ctx);
    if (t === 'numeric' || t === MIXED_NUMERIC || t === 'text') mixed = true;
    else if (isRealType(t)) real = true;
    else if (!isIntegerType(t) && t !== 'boolean') return undefined;
  }
  return real ? 'double precision' : mixed ? MIXED_NUMERIC : 'bigint';
}

/** CASE ... THEN x ... ELSE y END: the type of its branches. */
function caseType(s: Node[], ctx: Ctx): PgColumnType | undefined {
  return branchType(caseBranches(s, 0).branches.map((b) => inferType(b, ctx)));
}
