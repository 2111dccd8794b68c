/**
 * How ops cross from the caller's thread to the mirror worker: one flat array per message, seven
 * slots per op, instead of one object per op. Structured clone writes every property name of every
 * object it copies and the worker reads them back; a flat array of values costs the caller's
 * postMessage and the worker's deserialisation much less. A statement's SQL crosses once: the
 * first op of a statement carries its text (and registers it), the next ones its number.
 *
 * Slots of one op: [sql, flags, t, args, answer, now, extra]
 * - sql: the registered number, or the text (registered under the next number when F_REGISTER);
 * - flags: method, row shape, safeIntegers, write, more (bits below);
 * - answer: null (none), a number (`run`: changes), an array (`rows`), or the error answer object;
 * - now: the statement's 'now' or null; extra: null or { meta?, notMirrorable? } (rare).
 */
import type { RowShape } from '../adapter/statement';
import type { Answer } from './answer';
import type { MirrorMethod, MirrorOp, StatementMeta } from './mirror-protocol';

export const STRIDE = 7;
/** Statements registered by number at most; past it, SQL travels as text with each op. */
const MAX_REGISTERED = 10_000;

const METHODS: readonly MirrorMethod[] = ['run', 'get', 'all', 'iterate', 'exec', 'pragma'];
const SHAPES: readonly RowShape[] = ['object', 'pluck', 'raw', 'expand'];
const METHOD_CODE: Readonly<Record<MirrorMethod, number>> = { run: 0, get: 1, all: 2, iterate: 3, exec: 4, pragma: 5 };
const SHAPE_CODE: Readonly<Record<RowShape, number>> = { object: 0, pluck: 1, raw: 2, expand: 3 };
const F_SAFE_INTEGERS = 1 << 5;
const F_WRITE = 1 << 6;
const F_MORE = 1 << 7;
const F_REGISTER = 1 << 8;

interface Extra {
  meta?: StatementMeta;
  notMirrorable?: string[];
}

/** The caller's end: numbers SQL texts as they are first sent. */
export class WireEncoder {
  readonly #ids = new Map<string, number>();
  #added: string[] = [];

  /** Encodes ops[from..to) into one message body; `commit()` or `rollback()` it after posting. */
  encode(ops: readonly MirrorOp[], from = 0, to = ops.length): unknown[] {
    const out = new Array<unknown>((to - from) * STRIDE);
    let k = 0;
    for (let i = from; i < to; i++) {
      const op = ops[i]!;
      let flags = METHOD_CODE[op.method] | (SHAPE_CODE[op.shape] << 3);
      if (op.safeIntegers) flags |= F_SAFE_INTEGERS;
      if (op.write) flags |= F_WRITE;
      if (op.more) flags |= F_MORE;
      let sql: string | number | undefined = this.#ids.get(op.sql);
      if (sql === undefined) {
        sql = op.sql;
        if (this.#ids.size < MAX_REGISTERED) {
          this.#ids.set(op.sql, this.#ids.size);
          this.#added.push(op.sql);
          flags |= F_REGISTER;
        }
      }
      const answer = op.answer;
      out[k] = sql;
      out[k + 1] = flags;
      out[k + 2] = op.t;
      out[k + 3] = op.args;
      out[k + 4] = answer === undefined ? null : answer.type === 'run' ? answer.changes : answer.type === 'rows' ? answer.rows : answer;
      out[k + 5] = op.now ?? null;
      out[k + 6] = op.meta || op.notMirrorable ? extraOf(op) : null;
      k += STRIDE;
    }
    return out;
  }

  /** The message left: the worker now knows the texts registered since the last commit. */
  commit(): void {
    if (this.#added.length > 0) this.#added = [];
  }

  /** The message could not be sent: the worker never saw those registrations. */
  rollback(): void {
    for (const sql of this.#added) this.#ids.delete(sql);
    this.#added = [];
  }
}

function extraOf(op: MirrorOp): Extra {
  const extra: Extra = {};
  if (op.meta) extra.meta = op.meta;
  if (op.notMirrorable) extra.notMirrorable = op.notMirrorable;
  return extra;
}

/** The worker's end: the SQL texts by number, in the order the caller registered them. */
export class WireDecoder {
  readonly #texts: string[] = [];

  decode(body: readonly unknown[], into: MirrorOp[]): void {
    for (let k = 0; k + STRIDE <= body.length; k += STRIDE) {
      const ref = body[k] as string | number;
      const flags = body[k + 1] as number;
      let sql: string;
      if (typeof ref === 'number') sql = this.#texts[ref]!;
      else {
        sql = ref;
        if (flags & F_REGISTER) this.#texts.push(ref);
      }
      const op: MirrorOp = {
        sql,
        method: METHODS[flags & 7]!,
        args: body[k + 3] as unknown[],
        shape: SHAPES[(flags >> 3) & 3]!,
        safeIntegers: (flags & F_SAFE_INTEGERS) !== 0,
        write: (flags & F_WRITE) !== 0,
        t: body[k + 2] as number,
      };
      const answer = body[k + 4];
      if (answer !== null) op.answer = answerOf(answer);
      const now = body[k + 5];
      if (now !== null) op.now = now as string;
      if (flags & F_MORE) op.more = true;
      const extra = body[k + 6] as Extra | null;
      if (extra) {
        if (extra.meta) op.meta = extra.meta;
        if (extra.notMirrorable) op.notMirrorable = extra.notMirrorable;
      }
      into.push(op);
    }
  }
}

function answerOf(value: unknown): Answer {
  if (typeof value === 'number') return { type: 'run', changes: value };
  if (Array.isArray(value)) return { type: 'rows', rows: value };
  return value as Answer;
}
