/**
 * Canonical keys of values, so that two answers shaped as SQLite returns them compare by meaning
 * (docs/shadow-mode.md, What is compared, and how): JSON text by value (key order and spacing ignored), booleans as 1/0, timestamps by
 * instant, Buffers by bytes, text otherwise exactly ('2' is not '2.0'). Numeric text equals a
 * number only in a column where the other side holds numbers (see `columnKeyer`), because text
 * against text must stay exact.
 *
 * A key starts with one letter saying what it is: n null, d number, s text, j JSON, t instant
 * (milliseconds), b bytes (hex), o any other object. Only `t` keys are compared with a tolerance.
 */
import { stableJson } from '../../policy';
import { timestampInstant } from './timestamps';

export type Keyer = (value: unknown) => string;

/** Key of any value, text kept as text (numeric text is not a number). */
export const strictKey: Keyer = (value) => keyOf(value, false);

/** Key of any value, numeric text read as the number it spells. */
export const looseKey: Keyer = (value) => keyOf(value, true);

/** Bits of `valueKinds`: what a column holds on one side. */
export const HOLDS_NUMBER = 1;
export const HOLDS_TEXT = 2;

export function valueKind(value: unknown): number {
  const type = typeof value;
  if (type === 'number' || type === 'bigint' || type === 'boolean') return HOLDS_NUMBER;
  return type === 'string' ? HOLDS_TEXT : 0;
}

/** The keyer of one column, chosen once from what each side holds in it. */
export function columnKeyer(primaryKinds: number, secondaryKinds: number): Keyer {
  const mixed = ((primaryKinds & HOLDS_NUMBER) !== 0 && (secondaryKinds & HOLDS_TEXT) !== 0) ||
    ((secondaryKinds & HOLDS_NUMBER) !== 0 && (primaryKinds & HOLDS_TEXT) !== 0);
  return mixed ? looseKey : strictKey;
}

/** Two keys are the same value: equal, or two instants at most `toleranceMs` apart. */
export function sameKey(a: string, b: string, toleranceMs: number): boolean {
  if (a === b) return true;
  if (a.charCodeAt(0) !== 116 /* t */ || b.charCodeAt(0) !== 116) return false;
  return Math.abs(Number(a.slice(1)) - Number(b.slice(1))) <= toleranceMs;
}

function keyOf(value: unknown, numericText: boolean): string {
  switch (typeof value) {
    case 'string':
      return textKey(value, numericText);
    case 'number':
      return 'd' + numberText(value);
    case 'bigint':
      return 'd' + value.toString();
    case 'boolean':
      return value ? 'd1' : 'd0';
    case 'undefined':
      return 'n';
    case 'object':
      if (value === null) return 'n';
      if (value instanceof Date) return 't' + value.getTime();
      if (value instanceof Uint8Array) return 'b' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
      return 'o' + stableJson(value);
    default:
      return 's' + String(value);
  }
}

function textKey(text: string, numericText: boolean): string {
  const first = text.charCodeAt(0);
  if (first === 123 /* { */ || first === 91 /* [ */) {
    const json = parseJsonContainer(text);
    if (json !== undefined) return 'j' + stableJson(json);
  } else if (first >= 48 && first <= 57) {
    const instant = timestampInstant(text);
    if (instant !== undefined) return 't' + instant;
  }
  if (numericText && NUMERIC_TEXT.test(text)) {
    return 'd' + (INTEGER_TEXT.test(text) ? BigInt(text).toString() : numberText(Number(text)));
  }
  return 's' + text;
}

const NUMERIC_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^-?\d+$/;

/** Integral numbers past 2^53 as their exact digits, as a BigInt of the same value prints. */
function numberText(n: number): string {
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? BigInt(n).toString() : String(n);
}

function parseJsonContainer(text: string): object | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
