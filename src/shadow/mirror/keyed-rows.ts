/**
 * Both sides' rows reduced to canonical keys (see canonical.ts), one keyer per column chosen from
 * what the two sides hold in it. Rows are objects (by column name), raw arrays (by position) or
 * plucked values (one column).
 */
import { columnKeyer, strictKey, valueKind, type Keyer } from './canonical';

export interface KeyedRows {
  /** Column names (objects), positions (arrays) or [null] (plucked values). */
  columns: Array<string | number | null>;
  primaryCells: string[][];
  secondaryCells: string[][];
  primaryKeys: string[];
  secondaryKeys: string[];
}

type Reader = (row: unknown, column: string | number | null) => unknown;

const readCell: Reader = (row, column) => {
  if (column === null) return row;
  return row !== null && typeof row === 'object' ? (row as Record<string | number, unknown>)[column] : undefined;
};

/** Column identities of a row: object keys, array positions, or [null] for a plucked value. */
export function columnsOf(row: unknown): Array<string | number | null> {
  if (Array.isArray(row)) return row.map((_, i) => i);
  if (isRowObject(row)) return Object.keys(row);
  return [null];
}

/** A row object, as opposed to a plucked value that happens to be an object (Date, Buffer). */
export function isRowObject(row: unknown): row is Record<string, unknown> {
  return row !== null && typeof row === 'object' && !(row instanceof Date) && !(row instanceof Uint8Array);
}

export function keyRows(primary: readonly unknown[], secondary: readonly unknown[]): KeyedRows {
  const columns = columnsOf(primary.length > 0 ? primary[0] : secondary[0]);
  const keyers = columns.map((column) => columnKeyer(kindsIn(primary, column), kindsIn(secondary, column)));
  const primaryCells = primary.map((row) => cellKeys(row, columns, keyers));
  const secondaryCells = secondary.map((row) => cellKeys(row, columns, keyers));
  return {
    columns,
    primaryCells,
    secondaryCells,
    primaryKeys: primaryCells.map(rowKey),
    secondaryKeys: secondaryCells.map(rowKey),
  };
}

export function kindsIn(rows: readonly unknown[], column: string | number | null): number {
  let kinds = 0;
  for (let i = 0; i < rows.length; i++) kinds |= valueKind(readCell(rows[i], column));
  return kinds;
}

function cellKeys(row: unknown, columns: ReadonlyArray<string | number | null>, keyers: readonly Keyer[]): string[] {
  const keys = new Array<string>(columns.length);
  for (let j = 0; j < columns.length; j++) keys[j] = (keyers[j] ?? strictKey)(readCell(row, columns[j]!));
  return keys;
}

/** Length-prefixed so that no two different cell lists make the same key. */
function rowKey(cells: readonly string[]): string {
  let key = '';
  for (const cell of cells) key += cell.length + ':' + cell;
  return key;
}

export { readCell };
