/**
 * Compares one op's two answers. `exec` compares failures only (it returns no count), and `get`
 * is the other special case: the secondary returns every row
 * the statement matches, and when the statement has no ORDER BY any of them may be the one the
 * primary picked first (SQLite and PostgreSQL need not scan in the same order).
 */
import type { Answer, Difference, MirrorMethod } from '../shared';
import { compareAnswers } from './compare';

export interface Compared {
  difference: Difference | undefined;
  /** The secondary's answer as recorded (for `get`, the row compared). */
  secondary: Answer;
}

export function compareOp(method: MirrorMethod, primary: Answer, secondary: Answer, ordered: boolean, timestampToleranceMs: number): Compared {
  const options = { ordered, timestampToleranceMs };
  // exec() tells the caller no count: only failures are compared (the primary's 0 is not a count).
  if (method === 'exec' && primary.type === 'run' && secondary.type === 'run') return { difference: undefined, secondary };
  if (method !== 'get' || primary.type !== 'rows' || secondary.type !== 'rows') {
    return { difference: compareAnswers(primary, secondary, options), secondary };
  }
  const first: Answer = { type: 'rows', rows: secondary.rows.slice(0, 1) };
  if (!ordered && primary.rows.length === 1) {
    for (const row of secondary.rows) {
      const one: Answer = { type: 'rows', rows: [row] };
      if (!compareAnswers(primary, one, options)) return { difference: undefined, secondary: one };
    }
  }
  return { difference: compareAnswers(primary, first, options), secondary: first };
}
