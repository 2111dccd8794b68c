/**
 * Parameters as the caller bound them, with the values bound to secret columns hashed. Which
 * values are secret comes from the Translation's slots (`targetColumn` of each `$n` and where its
 * value comes from: the n-th anonymous `?`, or a name, `?NNN` included); named values whose name
 * is a secret column's name are hashed even without slots. The walk follows better-sqlite3's
 * binding rules (an array spreads anonymous values, one plain object holds the named ones).
 */
import type { ParamSlot } from '../translator/types';
import { hashSecret, type SecretColumns } from './secret-columns';

export interface RedactedParams {
  params: unknown[];
  /** The clear values that were hashed, to be hidden wherever else they appear (answers, messages). */
  secretValues: unknown[];
}

export function redactParams(args: readonly unknown[], slots: readonly ParamSlot[] | undefined, secrets: SecretColumns): RedactedParams {
  const secretPositions = new Set<number>();
  const secretNames = new Set<string>();
  for (const slot of slots ?? []) {
    const target = slot.targetColumn;
    if (!target || !secrets.has(target.table, target.column)) continue;
    if (slot.source.kind === 'positional') secretPositions.add(slot.source.index);
    else if (slot.source.kind === 'named') secretNames.add(slot.source.name);
  }
  const secretValues: unknown[] = [];
  const hide = (value: unknown): unknown => {
    if (value === null || value === undefined) return value;
    secretValues.push(value);
    return hashSecret(value);
  };
  let position = 0;
  const anonymous = (value: unknown): unknown => (secretPositions.has(position++) ? hide(value) : value);
  const params = args.map((arg) => {
    if (Array.isArray(arg)) return arg.map(anonymous);
    if (isPlainObject(arg)) {
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(arg)) {
        out[name] = secretNames.has(name) || secrets.names.has(name.toLowerCase()) ? hide(value) : value;
      }
      return out;
    }
    return anonymous(arg);
  });
  return { params, secretValues };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
