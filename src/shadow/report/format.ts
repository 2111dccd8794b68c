/**
 * `swarm-registry report` for people: first one sentence that says whether PostgreSQL answered
 * exactly as SQLite did in the window, then (only when it did not) tables by kind and by
 * statement, with one line per sample.
 */
import { displayTime, type DivergenceSummary, type LoggedRecord, type StatementSummary } from './log';

export function formatSummary(summary: DivergenceSummary, windowLabel: string): string {
  if (!summary.exists) {
    return `Nothing to report yet: there is no divergence log at ${summary.log} (shadow mode creates it when it records the first divergence).\n`;
  }
  const out: string[] = [];
  const files = summary.files.length === 1 ? '' : ` and ${summary.files.length - 1} rotated file${summary.files.length === 2 ? '' : 's'}`;
  out.push(`Divergence log: ${summary.log}${files}; window: ${windowLabel}.`);
  out.push(headline(summary, windowLabel), '');
  const kinds = Object.entries(summary.byKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    out.push(...table(['Kind', 'Count'], kinds.map(([kind, count]) => [kind, String(count)])), '');
  }
  const statements = summary.byStatement.filter((s) => s.statement !== null);
  if (statements.length > 0) {
    out.push('By statement (most frequent first):');
    for (const statement of statements) out.push(...statementLines(statement), '');
  }
  out.push(...mirrorLines(summary));
  if (summary.totals.acknowledged > 0) out.push(`${summary.totals.acknowledged} difference(s) on rows the backfill skipped by your choice (_registry_backfill_exceptions): acknowledged, not divergences.`);
  if (summary.totals.suppressed > 0) out.push(`${summary.totals.suppressed} of these were left out of the log by its rate limit (counted, not shown).`);
  if (summary.totals.ioFailures > 0) out.push(`${summary.totals.ioFailures} lines could not be written to the log (disk or permission problem): the counts above may be low.`);
  if (summary.malformedLines > 0) out.push(`Skipped ${summary.malformedLines} malformed line${summary.malformedLines === 1 ? '' : 's'} of the log.`);
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function headline(summary: DivergenceSummary, windowLabel: string): string {
  const { totals } = summary;
  if (summary.clean) {
    const outage = totals.mirrorOutages > 0 ? ` (the secondary was unreachable ${totals.mirrorOutages} time${totals.mirrorOutages === 1 ? '' : 's'}, without losing writes)` : '';
    return `No divergence in ${windowLabel}: PostgreSQL and SQLite answered alike${outage}.`;
  }
  const parts: string[] = [];
  if (totals.divergences > 0) parts.push(`${totals.divergences} divergence${totals.divergences === 1 ? '' : 's'}`);
  if (totals.notMirrorable > 0) parts.push(`${totals.notMirrorable} not mirrorable`);
  if (totals.mirrorGaps > 0) parts.push(`${totals.mirrorGaps} mirror gap${totals.mirrorGaps === 1 ? '' : 's'}`);
  const statements = summary.byStatement.filter((s) => s.statement !== null).length;
  const span = summary.firstSeen && summary.lastSeen ? `, first ${displayTime(summary.firstSeen)}, last ${displayTime(summary.lastSeen)} UTC` : '';
  return `DIVERGED in ${windowLabel}: ${parts.join(', ')} in ${statements} statement${statements === 1 ? '' : 's'}${span}.`;
}

function statementLines(statement: StatementSummary): string[] {
  const kinds = Object.entries(statement.kinds).map(([kind, n]) => `${kind} ×${n}`).join(', ');
  const suppressed = statement.suppressed > 0 ? `, ${statement.suppressed} not logged` : '';
  const lines = [
    `  ${statement.fingerprint}  ${statement.count}× (${kinds}${suppressed})  first ${displayTime(statement.firstSeen)}  last ${displayTime(statement.lastSeen)}`,
    `    ${clip(statement.statement ?? '', 160)}`,
  ];
  for (const frame of statement.frames) lines.push(`    at ${frame}`);
  for (const sample of statement.samples) lines.push(`    ${displayTime(sample.time)}  ${describe(sample)}`);
  return lines;
}

function mirrorLines(summary: DivergenceSummary): string[] {
  const { totals } = summary;
  const lines: string[] = [];
  if (totals.mirrorGaps > 0) {
    lines.push(`Mirror: ${totals.mirrorGaps} gap${totals.mirrorGaps === 1 ? '' : 's'}, ${totals.droppedWrites} write${totals.droppedWrites === 1 ? '' : 's'} never reached the secondary: run \`swarm-registry verify\` (then \`verify --repair\`).`);
  }
  if (totals.mirrorOutages > 0) lines.push(`Mirror: the secondary was unreachable ${totals.mirrorOutages} time${totals.mirrorOutages === 1 ? '' : 's'} (resumed ${totals.mirrorResumed}).`);
  return lines;
}

/** One sample as one line: what differed, between which sides. */
export function describe(record: LoggedRecord): string {
  const p = typeof record.primarySide === 'string' ? record.primarySide : 'primary';
  const s = typeof record.secondarySide === 'string' ? record.secondarySide : 'secondary';
  const d = (record.detail ?? {}) as Record<string, unknown>;
  const params = Array.isArray(record.params) && record.params.length > 0 ? `; params ${clip(JSON.stringify(record.params), 120)}` : '';
  switch (record.kind) {
    case 'rows':
      return `row ${String(d.rowIndex)}, column ${JSON.stringify(d.column)}: ${p} ${show(d.primary)}, ${s} ${show(d.secondary)}${params}`;
    case 'row_count':
      return `${p} returned ${String(d.primaryCount)} rows, ${s} ${String(d.secondaryCount)}${params}`;
    case 'columns':
      return `columns: ${p} ${show(d.primary)}, ${s} ${show(d.secondary)}`;
    case 'order':
      return `same rows in another order from row ${String(d.rowIndex)}${params}`;
    case 'changes':
      return `changes: ${p} ${String(d.primary)}, ${s} ${String(d.secondary)}${params}`;
    case 'error_primary_only':
      return `only ${p} failed: ${String(d.code)} ${clip(String(d.message), 160)}${params}`;
    case 'error_secondary_only':
      return `only ${s} failed: ${String(d.code)} ${clip(String(d.message), 160)}${params}`;
    case 'error_mismatch':
      return `${p} failed with ${String(d.primaryCode)}, ${s} with ${String(d.secondaryCode)}: ${clip(String(d.secondaryMessage), 120)}${params}`;
    case 'not_mirrorable':
      return `not mirrorable: ${Array.isArray(record.reasons) ? record.reasons.join(', ') : 'unknown reason'}`;
    default:
      return clip(JSON.stringify(d), 160);
  }
}

function show(value: unknown): string {
  return clip(JSON.stringify(value) ?? 'undefined', 80);
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}
