/** The demo's closing table: one row per step, what happened, how long it took. */
import { seconds } from './narrate';

export interface SummaryRow {
  step: string;
  outcome: string;
  milliseconds: number;
  /** False when the step did not behave as the rehearsal expects. */
  asExpected: boolean;
}

export function summaryTable(rows: readonly SummaryRow[], totalMs: number): string {
  const stepWidth = Math.max(4, ...rows.map((r) => r.step.length));
  const outcomeWidth = Math.max(7, ...rows.map((r) => r.outcome.length));
  const line = (a: string, b: string, c: string, mark = ' ') => `  ${mark} ${a.padEnd(stepWidth)}  ${b.padEnd(outcomeWidth)}  ${c.padStart(7)}`;
  return [
    line('step', 'outcome', 'time'),
    line('-'.repeat(stepWidth), '-'.repeat(outcomeWidth), '-------'),
    ...rows.map((r) => line(r.step, r.outcome, seconds(r.milliseconds), r.asExpected ? ' ' : '!')),
    line('', 'total', seconds(totalMs)),
  ].join('\n');
}
