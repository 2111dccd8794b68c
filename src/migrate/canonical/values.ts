/**
 * The canonical form `verify` compares: a value as SQLite shapes it, written so that equal meaning
 * gives equal text on both sides. Text exactly ('2' is not '2.0'), integers and booleans as their
 * digits (1/0), timestamps as the instant in epoch milliseconds, blobs as lower-case hex (all
 * produced by SQL on each side), and JSON by value: parsed and written back with sorted keys.
 */
import crypto from 'node:crypto';
import type { ColumnKind, MigrationTable } from '../core';
import type { CanonicalValue } from '../results';
import { canonicalJson, hashSecret, knownSecrets } from '../../policy';

/** Positions of the JSON columns of a table, whose values need canonicalJson. */
export function jsonPositions(table: MigrationTable): number[] {
  return table.columns.flatMap((c, i) => (c.kind === 'json' ? [i] : []));
}

/** Canonicalises the JSON values of one row in place and returns the row's text. */
export function canonicalRowText(values: CanonicalValue[], jsonAt: readonly number[]): string {
  for (const i of jsonAt) {
    const v = values[i];
    if (v !== null && v !== undefined) values[i] = canonicalJson(v);
  }
  return JSON.stringify(values);
}

/** The checksum of a chunk: rows in key order, one per line. */
export function chunkHash(rowTexts: readonly string[]): string {
  return crypto.createHash('sha1').update(rowTexts.join('\n')).digest('hex');
}

/**
 * What stands in for a secret value in any output: the policy's hash of the value itself (a blob
 * by its bytes, not by its hex), the same as in the divergence log. The value is remembered, so
 * that a copy of it anywhere else in the output is hidden too.
 */
export function secretHash(value: CanonicalValue, kind?: ColumnKind): string {
  if (value === null) return 'null';
  const clear = kind === 'blob' && /^(?:[0-9a-f]{2})*$/.test(value) ? Buffer.from(value, 'hex') : value;
  knownSecrets.learn(clear);
  return hashSecret(clear)!;
}
