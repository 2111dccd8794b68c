/**
 * "No divergence in the window": the shadow divergence log, summarised as `report` does. A log that
 * cannot be written (its folder missing, no permission) fails at once: shadow mode would have
 * nowhere to record a divergence, and "none" would mean nothing.
 */
import { whyUnwritable } from '../../shadow/shared';
import { LogReadError, summarizeDivergences } from '../../shadow/report';
import { failed, passed, type CheckResult } from '../stage';

const TITLE = 'No divergence in the window';

export interface DivergenceCheckOptions {
  log: string;
  since: Date | null;
  /** The window as `--window` was given (to repeat it in `report --since`). */
  window: string;
  windowLabel: string;
  databaseUrl: string | null;
}

export function checkDivergences(options: DivergenceCheckOptions): CheckResult {
  const unwritable = whyUnwritable(options.log);
  if (unwritable) return failed('divergences', TITLE, `The divergence log ${options.log} cannot be written (${unwritable}): shadow mode cannot record a divergence there. Create the folder or fix its permissions, or point REGISTRY_DIVERGENCE_LOG (and --log) at a writable file.`, { log: options.log });
  let summary;
  try {
    summary = summarizeDivergences(options.log, { since: options.since, samples: 0, databaseUrl: options.databaseUrl });
  } catch (error) {
    if (error instanceof LogReadError) return failed('divergences', TITLE, error.message);
    throw error;
  }
  const details = { log: options.log, exists: summary.exists, totals: summary.totals, byKind: summary.byKind };
  if (!summary.exists) return passed('divergences', TITLE, `No divergence log at ${options.log} yet: shadow mode has recorded nothing.`, details);
  const acknowledged = summary.totals.acknowledged > 0 ? `; ${summary.totals.acknowledged} difference(s) on rows the backfill skipped by your choice, acknowledged` : '';
  if (summary.clean) return passed('divergences', TITLE, `None in ${options.windowLabel} (${options.log})${acknowledged}.`, details);
  const t = summary.totals;
  const found = [
    t.divergences ? `${t.divergences} divergence(s)` : '',
    t.notMirrorable ? `${t.notMirrorable} statement(s) that cannot be mirrored` : '',
    t.mirrorGaps ? `${t.mirrorGaps} mirror gap(s)` : '',
  ].filter(Boolean).join(', ');
  const gapFix = t.mirrorGaps ? ', and run swarm-registry verify --repair for the gaps' : '';
  return failed('divergences', TITLE, `${found} in ${options.windowLabel}: run swarm-registry report --since ${options.window} to see them, then fix what they show: a statement that answers differently (rewrite it, or override it in REGISTRY_SQL_OVERRIDES), or rows that differ (changed outside the adapter: swarm-registry verify --repair)${gapFix}; then status with a --window that starts after the fix.`, details);
}

