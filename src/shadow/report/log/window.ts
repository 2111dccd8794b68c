/** The `--since` window of `report` (and `status`): a duration back from now, an instant, or the whole log. */

export interface ReportWindow {
  /** Start of the window; null for the whole log. */
  since: Date | null;
  /** How to say it in a sentence: "the last 24 h", "since 2024-05-01 00:00:00 UTC", "the whole log". */
  label: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNIT_LABEL: Record<string, string> = { s: 's', m: 'min', h: 'h', d: 'days', w: 'weeks' };
const DURATION = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i;

export const DEFAULT_WINDOW = '24h';

export function parseWindow(text: string, now: Date = new Date()): ReportWindow {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'all') return { since: null, label: 'the whole log' };
  const duration = DURATION.exec(trimmed);
  if (duration) {
    const unit = duration[2]!.toLowerCase();
    const amount = Number(duration[1]);
    return { since: new Date(now.getTime() - amount * UNIT_MS[unit]!), label: `the last ${amount} ${amount === 1 && unit === 'd' ? 'day' : UNIT_LABEL[unit]}` };
  }
  const instant = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? new Date(trimmed) : undefined;
  if (instant && !Number.isNaN(instant.getTime())) return { since: instant, label: `since ${displayTime(instant.toISOString())} UTC` };
  throw new RangeError(`--since ${JSON.stringify(text)} is not valid: use a duration like 30m, 24h or 7d, a date like 2024-05-01T00:00:00Z, or all.`);
}

/** `2024-05-01T10:02:11.123Z` → `2024-05-01 10:02:11` (UTC, to the second). */
export function displayTime(iso: string): string {
  return iso.length >= 19 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso;
}
