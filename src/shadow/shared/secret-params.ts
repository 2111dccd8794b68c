/**
 * Parameters as the caller bound them, with the values bound to secret columns hashed. Which
 * values are secret: the Translation's slots (`targetColumn` of each `$n`), the policy's reading
 * of the statement (a parameter in the same predicate or assignment as a secret column,
 * `lower(webhook_secret) = lower(?)`), named values called like a secret column, and any value
 * the process already knows as a secret. The walk follows better-sqlite3's binding rules (an
 * array spreads anonymous values, one plain object holds the named ones).
 */
import type { ParamSlot } from '../../translator';
import { hashSecret, knownSecrets, statementSecrets, type SecretColumns } from '../../policy';

export interface RedactedParams {
  params: unknown[];
  /** The clear values that were hashed, to be hidden wherever else they appear (answers, messages). */
  secretValues: unknown[];
}

export function redactParams(args: readonly unknown[], slots: readonly ParamSlot[] | undefined, secrets: SecretColumns, sql?: string): RedactedParams {
  const secretPositions = new Set<number>();
  const secretNames = new Set<string>();
  for (const slot of slots ?? []) {
    const target = slot.targetColumn;
    if (!target || !secrets.has(target.table, target.column)) continue;
    if (slot.source.kind === 'positional') secretPositions.add(slot.source.index);
    else if (slot.source.kind === 'named') secretNames.add(slot.source.name);
  }
  if (sql !== undefined) {
    const info = statementSecrets(sql, secrets);
    for (const p of info.positional) secretPositions.add(p);
    for (const n of info.named) secretNames.add(n);
  }
  const secretValues: unknown[] = [];
  const hide = (value: unknown): unknown => {
    if (value === null || value === undefined) return value;
    secretValues.push(value);
    knownSecrets.learn(value);
    return hashSecret(value);
  };
  const known = (value: unknown): unknown => {
    if (typeof value === 'string') return knownSecrets.redact(value);
    if (value instanceof Uint8Array && knownSecrets.has(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'))) return hashSecret(value);
    return value;
  };
  let position = 0;
  const anonymous = (value: unknown): unknown => (secretPositions.has(position++) ? hide(value) : known(value));
  const params = args.map((arg) => {
    if (Array.isArray(arg)) return arg.map(anonymous);
    if (isPlainObject(arg)) {
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(arg)) {
        out[name] = secretNames.has(name) || secrets.names.has(name.toLowerCase()) ? hide(value) : known(value);
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
