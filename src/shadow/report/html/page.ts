/**
 * `report --html FILE`: the summary as one self-contained page, for people who decide the canary:
 * divergences over time by kind and the mirror's lag as inline SVG charts drawn here (no script,
 * no font, no request of any kind), the most frequent statements, and their samples. Every text
 * from the log is HTML-escaped; the samples are the summary's (secrets already replaced by hashes).
 */
import { displayTime, type DivergenceSummary, type StatementSummary } from '../log';
import type { LagHistory, LagSample } from './lag';
import type { Timeline } from './timeline';

export interface HtmlReport {
  summary: DivergenceSummary;
  windowLabel: string;
  timeline: Timeline;
  lag: LagHistory;
  /** Statements shown (most frequent first). */
  topStatements?: number;
}

const PALETTE = ['#d1495b', '#edae49', '#00798c', '#30638e', '#66a182', '#8d5a97', '#e07a5f', '#3d405b', '#81b29a', '#f2cc8f', '#6d597a', '#b56576'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderHtmlReport(report: HtmlReport): string {
  const { summary, windowLabel } = report;
  const verdict = summary.clean
    ? `No divergence in ${windowLabel}: PostgreSQL and SQLite answered alike.`
    : `DIVERGED in ${windowLabel}: ${summary.totals.divergences} divergence(s), ${summary.totals.notMirrorable} not mirrorable, ${summary.totals.mirrorGaps} mirror gap(s) (${summary.totals.droppedWrites} writes dropped).`;
  const kinds = Object.entries(summary.byKind).sort((a, b) => b[1] - a[1]);
  const statements = summary.byStatement.slice(0, report.topStatements ?? 20);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>swarm-registry report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Shadow-mode report</h1>
<p class="meta">Divergence log ${escapeHtml(summary.log)}${summary.files.length > 1 ? ` and ${summary.files.length - 1} rotated file(s)` : ''}; window: ${escapeHtml(windowLabel)}; written ${escapeHtml(displayTime(summary.until))} UTC.</p>
<p class="verdict ${summary.clean ? 'clean' : 'diverged'}">${escapeHtml(summary.exists ? verdict : `Nothing to report yet: there is no divergence log at ${summary.log}.`)}</p>
<section>
<h2>Divergences over time, by kind</h2>
${divergenceChart(report.timeline)}
${kinds.length ? table(['Kind', 'Count'], kinds.map(([k, n]) => [k, String(n)])) : ''}
</section>
<section>
<h2>Mirror lag</h2>
${lagCharts(report.lag)}
</section>
<section>
<h2>Top statements</h2>
${statements.length ? table(['#', 'Count', 'Kinds', 'First seen (UTC)', 'Last seen (UTC)', 'Statement'], statements.map((s, i) => [String(i + 1), String(s.count), kindsText(s), displayTime(s.firstSeen), displayTime(s.lastSeen), s.statement ?? `(${s.fingerprint})`])) : '<p>None in the window.</p>'}
</section>
<section>
<h2>Samples</h2>
${statements.map(samplesBlock).join('\n') || '<p>None in the window.</p>'}
</section>
</body>
</html>
`;
}

function kindsText(s: StatementSummary): string {
  return Object.entries(s.kinds).map(([k, n]) => `${k} ×${n}`).join(', ') + (s.suppressed ? ` (${s.suppressed} not logged)` : '');
}

function samplesBlock(s: StatementSummary, i: number): string {
  const frames = s.frames.map((f) => `<div class="frame">at ${escapeHtml(f)}</div>`).join('');
  const samples = s.samples.map((sample) => `<pre>${escapeHtml(JSON.stringify(sample, null, 2))}</pre>`).join('');
  return `<details${i < 3 ? ' open' : ''}><summary>#${i + 1} ${escapeHtml(clip(s.statement ?? s.fingerprint, 140))}</summary>${frames}${samples || '<p>No sample kept.</p>'}</details>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const W = 900;
const H = 240;
const M = { left: 56, right: 16, top: 12, bottom: 36 };

/** Stacked bars: one per bucket, one colour per kind. */
function divergenceChart(t: Timeline): string {
  const kinds = Object.keys(t.byKind).sort();
  const totals = t.starts.map((_, i) => kinds.reduce((n, k) => n + t.byKind[k]![i]!, 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const barW = plotW / t.starts.length;
  const y = (v: number): number => M.top + plotH - (v / max) * plotH;
  const bars: string[] = [];
  t.starts.forEach((start, i) => {
    let base = 0;
    kinds.forEach((kind, k) => {
      const n = t.byKind[kind]![i]!;
      if (n === 0) return;
      const top = y(base + n);
      bars.push(`<rect class="bar" data-kind="${escapeHtml(kind)}" x="${(M.left + i * barW + 1).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${(y(base) - top).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${escapeHtml(`${kind}: ${n} in the ${minutes(t.bucketMs)} from ${displayTime(new Date(start).toISOString())} UTC`)}</title></rect>`);
      base += n;
    });
  });
  const empty = kinds.length === 0 ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="empty">No divergence in the window</text>` : '';
  const legend = kinds.map((k, i) => `<span class="key"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${escapeHtml(k)}</span>`).join('');
  return `<figure><svg class="chart" data-chart="divergences" role="img" aria-label="Divergences over time by kind" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${axes(max, t.starts[0]!, t.starts.at(-1)! + t.bucketMs, 'count')}${bars.join('')}${empty}</svg><figcaption>${legend || 'Each bar: one ' + minutes(t.bucketMs) + '.'}${legend ? ` — each bar: ${minutes(t.bucketMs)}` : ''}</figcaption></figure>`;
}

/** One line per mirror (process): lag in seconds, and queue depth in ops. */
function lagCharts(lag: LagHistory): string {
  if ('unavailable' in lag) return `<p class="note">No lag chart: ${escapeHtml(lag.unavailable)}.</p>`;
  if (lag.samples.length === 0) return '<p class="note">No lag sample in the window (each shadow-mode process records one every 10 s).</p>';
  return lineChart(lag.samples, 'lag', 'Mirror lag (seconds)', (s) => s.lagMs / 1000, 's') + lineChart(lag.samples, 'queue', 'Ops waiting in the mirror queue', (s) => s.queueDepth, 'ops');
}

function lineChart(samples: LagSample[], name: string, label: string, value: (s: LagSample) => number, unit: string): string {
  const from = samples[0]!.at;
  const until = Math.max(samples.at(-1)!.at, from + 1000);
  const max = niceMax(Math.max(0, ...samples.map(value)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (at: number): number => M.left + ((at - from) / (until - from)) * plotW;
  const y = (v: number): number => M.top + plotH - (v / max) * plotH;
  const mirrors = [...new Set(samples.map((s) => s.mirror))];
  const lines = mirrors.map((mirror, i) => {
    const points = samples.filter((s) => s.mirror === mirror).map((s) => `${x(s.at).toFixed(1)},${y(value(s)).toFixed(1)}`);
    const dots = points.length === 1 ? `<circle cx="${points[0]!.split(',')[0]}" cy="${points[0]!.split(',')[1]}" r="3" fill="${PALETTE[(i + 2) % PALETTE.length]}"/>` : '';
    return `<polyline class="line" data-mirror="${escapeHtml(mirror)}" fill="none" stroke-width="2" stroke="${PALETTE[(i + 2) % PALETTE.length]}" points="${points.join(' ')}"><title>${escapeHtml(mirror)}</title></polyline>${dots}`;
  });
  const legend = mirrors.map((m, i) => `<span class="key"><i style="background:${PALETTE[(i + 2) % PALETTE.length]}"></i>${escapeHtml(m)}</span>`).join('');
  return `<figure><svg class="chart" data-chart="${name}" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${axes(max, from, until, unit)}${lines.join('')}</svg><figcaption>${escapeHtml(label)}: ${legend}</figcaption></figure>`;
}

function axes(max: number, from: number, until: number, unit: string): string {
  const plotH = H - M.top - M.bottom;
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = M.top + plotH - (i / 4) * plotH;
    out.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/><text class="tick" x="${M.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${formatNumber(v)}</text>`);
  }
  const plotW = W - M.left - M.right;
  for (let i = 0; i <= 4; i++) {
    const at = from + ((until - from) * i) / 4;
    const x = M.left + (plotW * i) / 4;
    // Month-day hour:minute, or hour:minute:second when the chart spans less than an hour.
    const text = displayTime(new Date(at).toISOString());
    out.push(`<text class="tick" x="${x.toFixed(1)}" y="${H - 14}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}">${escapeHtml(until - from < 3_600_000 ? text.slice(11, 19) : text.slice(5, 16))}</text>`);
  }
  out.push(`<text class="unit" x="${M.left}" y="${H - 1}">UTC; y: ${escapeHtml(unit)}</text>`);
  return out.join('');
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p);
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}

function minutes(ms: number): string {
  if (ms >= 86_400_000) return `${ms / 86_400_000} day(s)`;
  if (ms >= 3_600_000) return `${ms / 3_600_000} h`;
  return `${ms / 60_000} min`;
}

function clip(text: string, n: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:960px;color:#1d2433;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
.meta,.note,figcaption{color:#5b6472;font-size:13px}
.verdict{padding:10px 14px;border-radius:6px;font-weight:600}.clean{background:#e6f4ea;color:#1e5631}.diverged{background:#fdecea;color:#8a1c1c}
svg.chart{display:block;max-width:100%;height:auto;background:#fbfcfe;border:1px solid #e3e7ee;border-radius:4px}
.grid{stroke:#e3e7ee;stroke-width:1}.tick,.unit{font-size:11px;fill:#5b6472}.empty{font-size:14px;fill:#5b6472}
.key{display:inline-flex;align-items:center;margin-right:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}th,td{border-bottom:1px solid #e3e7ee;padding:4px 6px;text-align:left;vertical-align:top}
td:last-child{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-word}
pre{background:#f5f7fa;border:1px solid #e3e7ee;border-radius:4px;padding:8px;overflow:auto;font-size:12px;max-height:320px}
details{margin:8px 0}summary{cursor:pointer;font-family:ui-monospace,Menlo,Consolas,monospace}.frame{color:#5b6472;font-size:12px}
`;
