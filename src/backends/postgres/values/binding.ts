/**
 * better-sqlite3's binding rules (its src/util/binder.cpp), reimplemented for the PostgreSQL
 * backend with the same TypeErrors and RangeErrors, checked in the same order: arguments are
 * taken left to right; an array spreads its elements as anonymous values; one plain object
 * (prototype Object.prototype or null) supplies every named parameter; anything else is one
 * anonymous value. Each value is checked when it is reached, so the first mistake wins.
 *
 * Anonymous values fill the statement's `?` in order. SQLite names `?NNN` parameters "NNN", so
 * better-sqlite3 binds them only from an object key ("1"): the translation should list them in
 * `namedParams`, not count them as positional, for the same behaviour here.
 */
import { INTEGER_OPERAND, type ParamSlot, type ValueClass } from '../../../translator/types';
import { echoParam, paramCoercer, type ParamCoercer, type PgParam } from './params';
import { storeCoercer } from './store';
import { NO_AFFINITY_TYPE } from '../../../schema/type-mapping';

/** What binding needs from a Translation. */
export interface BindingShape {
  readonly slots: readonly ParamSlot[];
  readonly positionalCount: number;
  readonly namedParams: readonly string[];
}

export const BIND_TWICE_MESSAGE = 'The bind() method can only be invoked once per statement object';
export const ALREADY_BOUND_MESSAGE = 'This statement already has bound parameters';

/** Thrown by `bind()` on a statement that was already bound. */
export function bindTwiceError(): TypeError {
  return new TypeError(BIND_TWICE_MESSAGE);
}

/** Thrown by run/get/all/iterate given parameters after `bind()`. */
export function alreadyBoundError(): TypeError {
  return new TypeError(ALREADY_BOUND_MESSAGE);
}

const SOURCE_POSITIONAL = 0;
const SOURCE_NAMED = 1;
const SOURCE_NOW = 2;

/** The precomputed binding of one statement: build once (at prepare), apply per call. */
export class BindingPlan {
  private readonly anonymousCount: number;
  private readonly names: readonly string[];
  private readonly sourceKinds: Uint8Array;
  private readonly sourceIndexes: Int32Array;
  private readonly coercers: readonly ParamCoercer[];
  private readonly slots: readonly ParamSlot[];

  constructor(shape: BindingShape) {
    this.anonymousCount = shape.positionalCount;
    this.names = [...new Set(shape.namedParams)];
    this.slots = shape.slots;
    this.sourceKinds = new Uint8Array(shape.slots.length);
    this.sourceIndexes = new Int32Array(shape.slots.length);
    shape.slots.forEach((slot, i) => {
      const { source } = slot;
      if (source.kind === 'positional') {
        this.sourceKinds[i] = SOURCE_POSITIONAL;
        this.sourceIndexes[i] = source.index;
      } else if (source.kind === 'named') {
        this.sourceKinds[i] = SOURCE_NAMED;
        this.sourceIndexes[i] = this.names.indexOf(source.name);
      } else {
        this.sourceKinds[i] = SOURCE_NOW;
      }
    });
    this.coercers = shape.slots.map((slot) => (slot.echo ? echoParam : slot.store ? storeCoercer(slot.storeUntyped ? NO_AFFINITY_TYPE : slot.targetType) : paramCoercer(slot.targetType)));
  }

  /** Each `$n`'s slot: where its value comes from and the column it is for. */
  get slotsInfo(): readonly ParamSlot[] {
    return this.slots;
  }

  /** The caller's values per `$n` (slot order), after better-sqlite3's checks. */
  bind(args: ArrayLike<unknown>, now?: Date): unknown[] {
    const anonymous = new Array<unknown>(this.anonymousCount);
    const named = new Array<unknown>(this.names.length);
    this.collect(args, anonymous, named);
    const out = new Array<unknown>(this.sourceKinds.length);
    for (let i = 0; i < out.length; i++) out[i] = this.pick(i, anonymous, named, now);
    return out;
  }

  /**
   * The storage class of each value of this call (Translation.valueTyped: the statement is run as
   * translated for these classes), after better-sqlite3's checks: one ValueClass character per
   * source, the anonymous values in order, then the named ones.
   */
  classKey(args: ArrayLike<unknown>): string {
    const anonymous = new Array<unknown>(this.anonymousCount);
    const named = new Array<unknown>(this.names.length);
    this.collect(args, anonymous, named);
    let key = '';
    for (const v of anonymous) key += valueClass(v);
    for (const v of named) key += valueClass(v);
    return key;
  }

  /**
   * Like `bind`, then each value converted as SQLite would have stored it (see values/params.ts).
   * Without `now`, the statement's 'now' is left NULL: the paths that run a statement read it once
   * per execution and fill it in with `withNow` (statement/prepared.ts).
   */
  pgValues(args: ArrayLike<unknown>, now?: Date): PgParam[] {
    const anonymous = new Array<unknown>(this.anonymousCount);
    const named = new Array<unknown>(this.names.length);
    this.collect(args, anonymous, named);
    const out = new Array<PgParam>(this.sourceKinds.length);
    let zeroLimit: string | undefined;
    for (let i = 0; i < out.length; i++) {
      const slot = this.slots[i]!;
      const clause = slot.targetType === INTEGER_OPERAND ? slot.targetColumn : undefined;
      // SQLite stops at a LIMIT of 0 before it reads the OFFSET: a bad OFFSET is then no error.
      if (clause?.column === 'OFFSET' && clause.table === zeroLimit) {
        out[i] = '0';
        continue;
      }
      if (this.sourceKinds[i] === SOURCE_NOW && now === undefined) {
        out[i] = null;
        continue;
      }
      out[i] = this.coercers[i]!(this.pick(i, anonymous, named, now), slot);
      if (clause?.column === 'LIMIT' && out[i] === '0') zeroLimit = clause.table;
    }
    return out;
  }

  private pick(slot: number, anonymous: unknown[], named: unknown[], now: Date | undefined): unknown {
    const kind = this.sourceKinds[slot];
    if (kind === SOURCE_POSITIONAL) return anonymous[this.sourceIndexes[slot]!];
    if (kind === SOURCE_NAMED) return named[this.sourceIndexes[slot]!];
    return now ?? new Date();
  }

  /** binder.cpp's BindArgs and its final count check. */
  private collect(args: ArrayLike<unknown>, anonymous: unknown[], named: unknown[]): void {
    const hasNamed = this.names.length > 0;
    let filled = 0;
    let count = 0;
    let boundObject = false;
    for (let a = 0; a < args.length; a++) {
      const arg = args[a];
      if (Array.isArray(arg)) {
        for (let i = 0; i < arg.length; i++) filled = this.anonymous(arg[i], anonymous, filled);
        count += arg.length;
        continue;
      }
      if (arg !== null && (typeof arg === 'object' || typeof arg === 'function') && !ArrayBuffer.isView(arg)) {
        if (isPlainObject(arg)) {
          if (boundObject) throw new TypeError('You cannot specify named parameters in two different objects');
          boundObject = true;
          this.named(arg as Record<string, unknown>, named);
          count += this.names.length;
          continue;
        }
        if (hasNamed) throw new TypeError('Named parameters can only be passed within plain objects');
      }
      filled = this.anonymous(arg, anonymous, filled);
      count++;
    }
    const expected = this.anonymousCount + this.names.length;
    if (count < expected) {
      if (!boundObject && hasNamed) throw new TypeError('Missing named parameters');
      throw new RangeError('Too few parameter values were provided');
    }
    if (count > expected) throw new RangeError('Too many parameter values were provided');
  }

  private anonymous(value: unknown, anonymous: unknown[], filled: number): number {
    checkValue(value);
    // SQLite refuses an index past the last parameter: better-sqlite3 reports it at once.
    if (filled >= this.anonymousCount) throw new RangeError('Too many parameter values were provided');
    anonymous[filled] = value;
    return filled + 1;
  }

  private named(object: Record<string, unknown>, named: unknown[]): void {
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (!Object.prototype.hasOwnProperty.call(object, name)) throw new RangeError(`Missing named parameter "${name}"`);
      const value = object[name];
      checkValue(value);
      named[i] = value;
    }
  }
}

const plans = new WeakMap<BindingShape, BindingPlan>();

/** The caller's values per slot for `shape` (a Translation); its plan is built once and kept. */
export function bindParams(args: ArrayLike<unknown>, shape: BindingShape, now?: Date): unknown[] {
  let plan = plans.get(shape);
  if (!plan) plans.set(shape, (plan = new BindingPlan(shape)));
  return plan.bind(args, now);
}

/** The SQLite storage class of a value better-sqlite3 binds (see ValueClass). */
export function valueClass(value: unknown): ValueClass {
  switch (typeof value) {
    case 'bigint':
      return 'i';
    case 'number':
      // An integral number beyond 64 bits is a fraction to an INTEGER column: no bigint holds it.
      return value !== value ? 'n' : Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? 'r' : 'f';
    case 'string':
      return 't';
    default:
      return value === null || value === undefined ? 'n' : 'b';
  }
}

/** data.cpp's JS_VALUE_TO_SQLITE: what SQLite can bind, and the two ways a value is refused. */
function checkValue(value: unknown): void {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'undefined':
      return;
    case 'bigint':
      if (BigInt.asIntN(64, value) !== value) throw new RangeError('The bound string, buffer, or bigint is too big');
      return;
    case 'object':
      if (value === null || ArrayBuffer.isView(value)) return;
  }
  throw new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null');
}

/**
 * binder.cpp's IsPlainObject: the prototype is Object.prototype or null. An object made in
 * another realm (a vm context) has that realm's Object.prototype, recognised by its shape.
 */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return true;
  if (typeof proto !== 'object' || Object.getPrototypeOf(proto) !== null) return false;
  const ctor = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name === 'Object' && ctor.prototype === proto;
}
