/**
 * Compares what the primary and the secondary answered for one statement (docs/shadow-mode.md, What is compared, and how): rows,
 * `changes` and errors. Both answers are already shaped as SQLite returns them; values compare by
 * meaning (canonical.ts), rows as multisets unless the statement has a top-level ORDER BY.
 */
import type { Answer, Difference } from '../shared';
import { columnKeyer, sameKey, type Keyer } from './canonical';
import { columnsOf, isRowObject, keyRows, kindsIn, readCell, type KeyedRows } from './keyed-rows';

export interface CompareOptions {
  /** The statement has a top-level ORDER BY (Translation.ordered): a different order is a divergence. */
  ordered: boolean;
  /** Largest gap between two timestamps that still counts as the same instant (default 1000 ms). */
  timestampToleranceMs?: number;
}

export const DEFAULT_TIMESTAMP_TOLERANCE_MS = 1000;

/** The first difference between the two answers, or undefined when they agree. */
export function compareAnswers(primary: Answer, secondary: Answer, options: CompareOptions): Difference | undefined {
  if (primary.type === 'error' || secondary.type === 'error') return compareErrors(primary, secondary);
  if (primary.type !== secondary.type) return { kind: 'answer_type', detail: { primary: primary.type, secondary: secondary.type } };
  if (primary.type === 'run' && secondary.type === 'run') {
    return primary.changes === secondary.changes ? undefined : { kind: 'changes', detail: { primary: primary.changes, secondary: secondary.changes } };
  }
  if (primary.type === 'rows' && secondary.type === 'rows') {
    return compareRows(primary.rows, secondary.rows, options.ordered, options.timestampToleranceMs ?? DEFAULT_TIMESTAMP_TOLERANCE_MS);
  }
  return undefined;
}

function compareErrors(primary: Answer, secondary: Answer): Difference | undefined {
  if (primary.type === 'error' && secondary.type === 'error') {
    if (primary.code === secondary.code) return undefined;
    return {
      kind: 'error_mismatch',
      detail: { primaryCode: primary.code, secondaryCode: secondary.code, primaryMessage: primary.message, secondaryMessage: secondary.message },
    };
  }
  if (primary.type === 'error') return { kind: 'error_primary_only', detail: { code: primary.code, message: primary.message } };
  if (secondary.type === 'error') return { kind: 'error_secondary_only', detail: { code: secondary.code, message: secondary.message } };
  return undefined;
}

function compareRows(primary: readonly unknown[], secondary: readonly unknown[], ordered: boolean, tolerance: number): Difference | undefined {
  if (primary.length !== secondary.length) {
    return { kind: 'row_count', detail: { primaryCount: primary.length, secondaryCount: secondary.length } };
  }
  if (primary.length === 0) return undefined;
  const columns = compareColumns(primary[0], secondary[0]);
  if (columns) return columns;
  if (identicalRows(primary, secondary)) return undefined; // same values, same order: no keys needed
  if (equalInOrder(primary, secondary, ordered, tolerance)) return undefined; // keys only for the cells that differ

  const keyed = keyRows(primary, secondary);
  if (ordered) {
    const first = firstPairwiseDifference(keyed, tolerance);
    if (first < 0) return undefined;
    const unmatched = unmatchedRows(keyed, tolerance);
    if (unmatched.primary.length === 0) return { kind: 'order', detail: { rowIndex: first } };
    return { kind: 'rows', detail: valueDifference(keyed, primary, secondary, unmatched, tolerance) };
  }
  if (sameStrings(keyed.primaryKeys, keyed.secondaryKeys)) return undefined; // the common case: same order, exact
  const unmatched = unmatchedRows(keyed, tolerance);
  if (unmatched.primary.length === 0) return undefined;
  return { kind: 'rows', detail: valueDifference(keyed, primary, secondary, unmatched, tolerance) };
}

/** Column names differ (as sets: the order of an object's keys is not a difference). */
function compareColumns(primaryRow: unknown, secondaryRow: unknown): Difference | undefined {
  const primaryNamed = isRowObject(primaryRow) && !Array.isArray(primaryRow);
  const secondaryNamed = isRowObject(secondaryRow) && !Array.isArray(secondaryRow);
  if (!primaryNamed && !secondaryNamed) {
    const p = columnsOf(primaryRow).length;
    const s = columnsOf(secondaryRow).length;
    if (p === s) return undefined;
  } else if (primaryNamed && secondaryNamed) {
    const p = Object.keys(primaryRow);
    const s = Object.keys(secondaryRow);
    if (sameStrings(p, s)) return undefined; // the usual case: the same names in the same order
    p.sort();
    s.sort();
    if (sameStrings(p, s)) return undefined;
  }
  return { kind: 'columns', detail: { primary: columnsOf(primaryRow).map(String), secondary: columnsOf(secondaryRow).map(String) } };
}

/**
 * The rows pair up in the order given, cell by cell: strictly equal cells are equal without a key;
 * only the cells that differ are keyed (with their column's keyer, as keyRows would choose it).
 * Unordered, a cell must then have the same key (what equal row keys mean); ordered, the same key
 * within the timestamp tolerance (what firstPairwiseDifference accepts). When this says no, the
 * full comparison (multisets, tolerance pairing, the difference to report) decides.
 */
function equalInOrder(primary: readonly unknown[], secondary: readonly unknown[], ordered: boolean, tolerance: number): boolean {
  const columns = columnsOf(primary[0]);
  let keyers: Array<Keyer | undefined> | undefined;
  for (let i = 0; i < primary.length; i++) {
    const a = primary[i];
    const b = secondary[i];
    for (let j = 0; j < columns.length; j++) {
      const column = columns[j]!;
      const x = readCell(a, column);
      const y = readCell(b, column);
      if (x === y) continue;
      keyers ??= new Array<Keyer | undefined>(columns.length);
      const keyer = (keyers[j] ??= columnKeyer(kindsIn(primary, column), kindsIn(secondary, column)));
      const kx = keyer(x);
      const ky = keyer(y);
      if (kx === ky) continue;
      if (!ordered || !sameKey(kx, ky, tolerance)) return false;
    }
  }
  return true;
}

function firstPairwiseDifference(keyed: KeyedRows, tolerance: number): number {
  for (let i = 0; i < keyed.primaryKeys.length; i++) {
    if (keyed.primaryKeys[i] !== keyed.secondaryKeys[i] && !sameCells(keyed.primaryCells[i]!, keyed.secondaryCells[i]!, tolerance)) return i;
  }
  return -1;
}

interface Unmatched {
  primary: number[];
  secondary: number[];
}

/**
 * Rows of each side with no equal row on the other: exact keys first (sort both, walk them
 * together), then the few rows left are paired allowing the timestamp tolerance.
 */
function unmatchedRows(keyed: KeyedRows, tolerance: number): Unmatched {
  const p = sortedIndexes(keyed.primaryKeys);
  const s = sortedIndexes(keyed.secondaryKeys);
  const primary: number[] = [];
  const secondary: number[] = [];
  let i = 0;
  let j = 0;
  while (i < p.length || j < s.length) {
    const a = i < p.length ? keyed.primaryKeys[p[i]!]! : undefined;
    const b = j < s.length ? keyed.secondaryKeys[s[j]!]! : undefined;
    if (a !== undefined && a === b) i++, j++;
    else if (b === undefined || (a !== undefined && a < b)) primary.push(p[i++]!);
    else secondary.push(s[j++]!);
  }
  pairWithinTolerance(keyed, primary, secondary, tolerance);
  return { primary: primary.sort((x, y) => x - y), secondary: secondary.sort((x, y) => x - y) };
}

function pairWithinTolerance(keyed: KeyedRows, primary: number[], secondary: number[], tolerance: number): void {
  for (let i = primary.length - 1; i >= 0; i--) {
    const cells = keyed.primaryCells[primary[i]!]!;
    const match = secondary.findIndex((j) => sameCells(cells, keyed.secondaryCells[j]!, tolerance));
    if (match >= 0) {
      primary.splice(i, 1);
      secondary.splice(match, 1);
    }
  }
}

function valueDifference(keyed: KeyedRows, primary: readonly unknown[], secondary: readonly unknown[], unmatched: Unmatched, tolerance: number) {
  const rowIndex = unmatched.primary[0]!;
  const secondaryRowIndex = unmatched.secondary[0] ?? rowIndex;
  const a = keyed.primaryCells[rowIndex]!;
  const b = keyed.secondaryCells[secondaryRowIndex]!;
  let at = a.findIndex((cell, j) => !sameKey(cell, b[j]!, tolerance));
  if (at < 0) at = 0;
  const column = keyed.columns[at] ?? null;
  return {
    rowIndex,
    secondaryRowIndex,
    column,
    primary: readCell(primary[rowIndex], column),
    secondary: readCell(secondary[secondaryRowIndex], column),
    unmatchedPrimary: unmatched.primary.length,
    unmatchedSecondary: unmatched.secondary.length,
  };
}

/** Every row strictly equal, cell by cell, in the same order (Buffers by bytes). */
function identicalRows(primary: readonly unknown[], secondary: readonly unknown[]): boolean {
  for (let i = 0; i < primary.length; i++) {
    const a = primary[i];
    const b = secondary[i];
    if (a === b) continue;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || a instanceof Date) return false;
    if (a instanceof Uint8Array || b instanceof Uint8Array) {
      if (!(a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0)) return false;
      continue;
    }
    const row = a as Record<string, unknown>;
    const other = b as Record<string, unknown>;
    for (const key in row) if (!identicalValue(row[key], other[key])) return false;
  }
  return true;
}

function identicalValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
}

function sameCells(a: readonly string[], b: readonly string[], tolerance: number): boolean {
  for (let j = 0; j < a.length; j++) if (!sameKey(a[j]!, b[j]!, tolerance)) return false;
  return true;
}

function sortedIndexes(keys: readonly string[]): number[] {
  return keys.map((_, i) => i).sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : 0));
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
