/**
 * SQLite's lexical grammar (https://sqlite.org/lang_expr.html): every rule of the translator works
 * on these tokens, so string literals, comments and quoted names are never rewritten by accident.
 */
import { sqliteError, TranslationError } from '../adapter/errors';

export type TokenType =
  | 'ws'
  | 'comment'
  | 'string'
  | 'blob'
  | 'number'
  | 'word'
  | 'qident'
  | 'param'
  | 'op'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'semi';

export interface Token {
  readonly kind: 'token';
  type: TokenType;
  /** The source text (for `qident`, with its quotes). */
  text: string;
  /** Offset of the token in the source. */
  start: number;
  /** `word`: upper case; `qident`: the name without quotes; `string`: the unescaped value. */
  value: string;
  /** Annotations set by the rules (never by the tokenizer). */
  note?: TokenNote;
}

/** What the context rules learnt about a token, read when it is rewritten or rendered. */
export interface TokenNote {
  /** A parameter assigned to or compared with this column. */
  target?: { table: string; column: string; type: string };
  /**
   * A parameter of a translation specialised to the values bound: the PostgreSQL type of the
   * value's SQLite storage class (`double precision` for a number, `bytea` for a Buffer, ...), and
   * the class itself. Used where no column or operator gives the parameter its type.
   */
  valueType?: string;
  valueClass?: string;
  /**
   * Rendered with its value's type unless a rule of an enclosing level casts it first (a parameter
   * the untyped-parameter rule saw; one inside a rule's template keeps the type PostgreSQL infers
   * there, a Buffer excepted, which is always a bytea).
   */
  castAtRender?: boolean;
  /** A text bound, compared with a numeric column: read as its affinity reads it (TEXT_VS_NUMBER). */
  textVsNumber?: boolean;
  /** The `=` of a SET item: an assignment, not a comparison. */
  assignment?: boolean;
  /** A parameter compared with a column whose answer depends on the value's class (a real beside an INTEGER column). */
  valueSensitive?: boolean;
  /** A parameter rendered with this cast (`$n::type`). */
  cast?: string;
  /** Rendered as this text instead (e.g. `true` for a 1 compared with a BOOLEAN column). */
  replace?: string;
  /** A parameter that is a whole result column, returned with the JS type it was bound with. */
  echo?: boolean;
  /** A parameter stored into its target column (INSERT values, SET x = ?): SQLite's affinity of the column applies. */
  store?: boolean;
  /** A stored parameter whose column was declared without a type (no affinity: SQLite keeps a number as a number). */
  storeUntyped?: boolean;
  /** Rendered before the token (the name of the result column that ends just before it). */
  prefix?: string;
  /** A date/time function or CURRENT_TIMESTAMP whose value goes into a TIMESTAMPTZ column. */
  timestamptz?: boolean;
  /** json_extract/->> compared with a number: compare numerically. */
  numeric?: boolean;
  /** json_extract/->> that is a whole result column: returned as jsonb, shaped as SQLite's value. */
  jsonScalar?: boolean;
  /** The first token of a reference to a json_extract()/->> column of a FROM subquery or CTE: the reference's node count. */
  derivedJson?: number;
  /** Such a reference that is a whole unaliased column of a subquery: the name it keeps (quoted). */
  derivedJsonAs?: string;
  /** A `*` over such subqueries only: whether each column it stands for is such a column. */
  derivedJsonStar?: boolean[];
  /** On a SELECT: the rowid column its rows are ordered by last (SQLite's table scan order). */
  rowidOrder?: string;
}

const OPERATORS = ['->>', '->', '||', '<=', '>=', '<>', '!=', '==', '<<', '>>', '::'];
const SINGLE_OPS = '=<>+-*/%&|~.!^';

function isWordStart(c: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(c);
}
function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}

/** Splits SQL into tokens; whitespace and comments are kept so the output keeps its layout. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, end: number, value?: string): void => {
    const text = sql.slice(i, end);
    tokens.push({ kind: 'token', type, text, start: i, value: value ?? text });
    i = end;
  };
  const unterminated = (what: string): never => {
    throw new TranslationError(`Unterminated ${what} at offset ${i}.`, what, sql);
  };
  while (i < sql.length) {
    const c = sql[i];
    const c2 = sql.slice(i, i + 2);
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j])) j++;
      push('ws', j);
    } else if (c2 === '--') {
      const j = sql.indexOf('\n', i);
      push('comment', j === -1 ? sql.length : j);
    } else if (c2 === '/*') {
      const j = sql.indexOf('*/', i + 2);
      push('comment', j === -1 ? sql.length : j + 2); // SQLite accepts an unterminated block comment
    } else if (c === "'" || ((c === 'x' || c === 'X') && sql[i + 1] === "'")) {
      const open = c === "'" ? i : i + 1;
      let j = open + 1;
      for (;;) {
        if (j >= sql.length) unterminated('string literal');
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") j += 2;
          else break;
        } else j++;
      }
      const raw = sql.slice(open + 1, j);
      if (c === "'") push('string', j + 1, raw.replace(/''/g, "'"));
      else push('blob', j + 1, raw);
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) unterminated('quoted identifier');
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      push('qident', j + 1, sql.slice(i + 1, j).split(c + c).join(c));
    } else if (c === '[') {
      const j = sql.indexOf(']', i);
      if (j === -1) unterminated('bracketed identifier');
      push('qident', j + 1, sql.slice(i + 1, j));
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)/.exec(sql.slice(i))!;
      let end = i + m[0].length;
      if (end < sql.length && isWordChar(sql[end])) {
        // `1OFFSET`, `1.5e`: SQLite refuses a number run into a name, as prepare() reports it there.
        while (end < sql.length && isWordChar(sql[end])) end++;
        throw sqliteError(`unrecognized token: "${sql.slice(i, end)}"`, 'SQLITE_ERROR');
      }
      push('number', end);
    } else if (c === '?') {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j])) j++;
      push('param', j);
    } else if ((c === '@' || c === '$' || (c === ':' && sql[i + 1] !== ':')) && isWordChar(sql[i + 1] ?? ' ')) {
      let j = i + 1;
      while (j < sql.length && isWordChar(sql[j])) j++;
      push('param', j);
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < sql.length && isWordChar(sql[j])) j++;
      push('word', j, sql.slice(i, j).toUpperCase());
    } else if (c === '(') push('lparen', i + 1);
    else if (c === ')') push('rparen', i + 1);
    else if (c === ',') push('comma', i + 1);
    else if (c === ';') push('semi', i + 1);
    else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (op) push('op', i + op.length);
      else if (SINGLE_OPS.includes(c)) push('op', i + 1);
      else throw new TranslationError(`Unexpected character ${JSON.stringify(c)} at offset ${i}.`, c, sql);
    }
  }
  return tokens;
}

export function isTrivia(t: Token): boolean {
  return t.type === 'ws' || t.type === 'comment';
}
