/**
 * How ops cross from the caller's thread to the mirror worker: one flat array per message, eight
 * slots per op, instead of one object per op. Structured clone writes every property name of every
 * object it copies and the worker reads them back; a flat array of values costs the caller's
 * postMessage and the worker's deserialisation much less. A statement's SQL crosses once: the
 * first op of a statement carries its text (and registers it), the next ones its number.
 *
 * Slots of one op: [sql, flags, t, args, answer, now, extra, columns]
 * - sql: the registered number, or the text (registered under the next number when F_REGISTER);
 * - flags: method, row shape, safeIntegers, write, more (bits below);
 * - answer: null (none), a number (`run`: changes), an array (`rows`), or the error answer object;
 * - now: the statement's 'now' or null; extra: null, or a read's change log position alone (a
 *   number when its two bounds are equal, else the pair), or { meta?, notMirrorable?, pos? } (rare);
 * - columns: null, or (F_COLUMNS) the column names of object rows sent flat in `answer` — their
 *   values, `columns.length` per row — which the worker rebuilds into objects. A column list
 *   crosses once like a SQL text: its number, or the list itself (registered when F_REGISTER_COLUMNS).
 */
import type { RowShape } from '../../contracts';
import type { Answer } from './answer';
import type { MirrorMethod, MirrorOp, StatementMeta } from './mirror-protocol';

export const STRIDE = 8;
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
const F_COLUMNS = 1 << 9;
const F_REGISTER_COLUMNS = 1 << 10;

interface Extra {
  meta?: StatementMeta;
  notMirrorable?: string[];
  pos?: [number, number];
}

/** The caller's end: numbers SQL texts as they are first sent. */
export class WireEncoder {
  readonly #ids = new Map<string, number>();
  #added: string[] = [];
  /** Column lists by identity: a statement keeps its list while its columns stay the same. */
  readonly #columnIds = new Map<readonly string[], number>();
  #addedColumns: Array<readonly string[]> = [];

  /** Encodes ops[from..to) into one message body; `commit()` or `rollback()` it after posting. */
  encode(ops: readonly MirrorOp[], from = 0, to = ops.length): unknown[] {
    // Built by push: a holey `new Array(n)` would be serialised in V8's sparse form (index + value).
    const out: unknown[] = [];
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
      let columns: number | readonly string[] | null = null;
      const names = op.columns;
      if (names) {
        flags |= F_COLUMNS;
        columns = this.#columnIds.get(names) ?? names;
        if (columns === names && this.#columnIds.size < MAX_REGISTERED) {
          this.#columnIds.set(names, this.#columnIds.size);
          this.#addedColumns.push(names);
          flags |= F_REGISTER_COLUMNS;
        }
      }
      const answer = op.answer;
      out.push(
        sql,
        flags,
        op.t,
        op.args,
        answer === undefined ? null : answer.type === 'run' ? answer.changes : answer.type === 'rows' ? answer.rows : answer,
        op.now ?? null,
        op.meta || op.notMirrorable ? extraOf(op) : op.pos ? (op.pos[0] === op.pos[1] ? op.pos[0] : op.pos) : null,
        columns,
      );
    }
    return out;
  }

  /** The message left: the worker now knows the texts registered since the last commit. */
  commit(): void {
    if (this.#added.length > 0) this.#added = [];
    if (this.#addedColumns.length > 0) this.#addedColumns = [];
  }

  /** The message could not be sent: the worker never saw those registrations. */
  rollback(): void {
    for (const sql of this.#added) this.#ids.delete(sql);
    this.#added = [];
    for (const names of this.#addedColumns) this.#columnIds.delete(names);
    this.#addedColumns = [];
  }
}

function extraOf(op: MirrorOp): Extra {
  const extra: Extra = {};
  if (op.meta) extra.meta = op.meta;
  if (op.notMirrorable) extra.notMirrorable = op.notMirrorable;
  if (op.pos) extra.pos = op.pos;
  return extra;
}

/** The worker's end: the SQL texts by number, in the order the caller registered them. */
export class WireDecoder {
  readonly #texts: string[] = [];
  readonly #columns: Array<readonly string[]> = [];

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
      if (flags & F_COLUMNS) {
        const ref = body[k + 7] as number | readonly string[];
        let names: readonly string[];
        if (typeof ref === 'number') names = this.#columns[ref]!;
        else {
          names = ref;
          if (flags & F_REGISTER_COLUMNS) this.#columns.push(ref);
        }
        op.answer = { type: 'rows', rows: rebuildRows(answer as readonly unknown[], names) };
      } else if (answer !== null) op.answer = answerOf(answer);
      const now = body[k + 5];
      if (now !== null) op.now = now as string;
      if (flags & F_MORE) op.more = true;
      const extra = body[k + 6] as Extra | number | [number, number] | null;
      if (typeof extra === 'number') op.pos = [extra, extra];
      else if (Array.isArray(extra)) op.pos = extra;
      else if (extra) {
        if (extra.meta) op.meta = extra.meta;
        if (extra.notMirrorable) op.notMirrorable = extra.notMirrorable;
        if (extra.pos) op.pos = extra.pos;
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

/** Object rows back from their flat values (`names.length` per row), keys in the caller's order. */
function rebuildRows(values: readonly unknown[], names: readonly string[]): Array<Record<string, unknown>> {
  const width = names.length;
  const rows = new Array<Record<string, unknown>>(width === 0 ? 0 : values.length / width);
  let k = 0;
  for (let i = 0; i < rows.length; i++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < width; j++) row[names[j]!] = values[k++];
    rows[i] = row;
  }
  return rows;
}
