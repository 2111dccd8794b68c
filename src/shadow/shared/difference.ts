/** What `compareAnswers` found different between the primary's and the secondary's answer. */

/** Where the first differing value was, and both values (raw: redact before recording). */
export interface ValueDifference {
  /** Index of the row in the primary's answer (in the secondary's too when the result is ordered). */
  rowIndex: number;
  /** Index of the row in the secondary's answer that was compared with it. */
  secondaryRowIndex: number;
  /** Column name (object rows), position (raw rows), or null (plucked values). */
  column: string | number | null;
  primary: unknown;
  secondary: unknown;
  /** Rows of each side that found no equal row on the other side. */
  unmatchedPrimary: number;
  unmatchedSecondary: number;
}

export type Difference =
  | { kind: 'rows'; detail: ValueDifference }
  | { kind: 'row_count'; detail: { primaryCount: number; secondaryCount: number } }
  | { kind: 'columns'; detail: { primary: string[]; secondary: string[] } }
  /** Same rows, other order, in a statement with a top-level ORDER BY. */
  | { kind: 'order'; detail: { rowIndex: number } }
  | { kind: 'changes'; detail: { primary: number; secondary: number } }
  | { kind: 'error_primary_only'; detail: { code: string; message: string } }
  | { kind: 'error_secondary_only'; detail: { code: string; message: string } }
  | { kind: 'error_mismatch'; detail: { primaryCode: string; secondaryCode: string; primaryMessage: string; secondaryMessage: string } }
  /** One side returned rows, the other a run result (a reader on one side only). */
  | { kind: 'answer_type'; detail: { primary: string; secondary: string } };

export type DifferenceKind = Difference['kind'];

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = [
  'rows', 'row_count', 'columns', 'order', 'changes',
  'error_primary_only', 'error_secondary_only', 'error_mismatch', 'answer_type',
];
