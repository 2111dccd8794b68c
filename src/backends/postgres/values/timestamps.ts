/**
 * TIMESTAMPTZ values as the text the column held in SQLite (docs/api.md, Time), and zone-less timestamp
 * text bound for PostgreSQL read as UTC, as SQLite's date functions read it.
 *
 * Fractional seconds: SQLite's own fractions (`%f`, `'subsec'`) have millisecond precision, so
 * the `sqlite` format shows `.SSS` when the stored value has a non-zero millisecond part and no
 * fraction otherwise; PostgreSQL's microseconds (from `NOW()` defaults) are cut to milliseconds.
 * The `iso` format is always `.sssZ`, as `Date.prototype.toISOString` writes it. Values with no
 * such text (BC dates, years past 9999, `infinity`) come back as PostgreSQL prints them.
 */
import type { TimestampFormat } from '../../../schema/catalog';

/**
 * Formats PostgreSQL's text output of a timestamp (DateStyle ISO, any TimeZone) in `format`.
 * `withZone` is true for TIMESTAMPTZ (text ends with an offset), false for TIMESTAMP.
 */
export function formatTimestamp(text: string, format: TimestampFormat, withZone: boolean): string {
  if (text.length < 19 || text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(10) !== 32) return text;
  let end = text.length;
  if (withZone) {
    if (text.endsWith('+00')) {
      end -= 3;
    } else {
      const shifted = toUtc(text);
      if (shifted === null) return text;
      return formatTimestamp(shifted, format, true);
    }
  } else if (text.charCodeAt(end - 1) === 67 /* C of BC */) {
    return text;
  }
  const seconds = text.slice(0, 19);
  const fraction = end > 20 ? text.slice(20, end) : '';
  if (format === 'iso') return `${seconds.slice(0, 10)}T${seconds.slice(11)}.${millis(fraction)}Z`;
  if (fraction === '') return seconds;
  const ms = millis(fraction);
  return ms === '000' ? seconds : `${seconds}.${ms}`;
}

function millis(fraction: string): string {
  if (fraction.length >= 3) return fraction.slice(0, 3);
  return fraction.length === 2 ? fraction + '0' : fraction.length === 1 ? fraction + '00' : '000';
}

/**
 * Rewrites `YYYY-MM-DD HH:MM:SS[.f]±HH[:MM[:SS]]` as the same instant ending in `+00` (only when
 * the session's TimeZone is not UTC). Null for text it does not recognise (BC, big years).
 */
function toUtc(text: string): string | null {
  let sign = -1;
  for (let i = 19; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 43 /* + */ || c === 45 /* - */) {
      sign = i;
      break;
    }
  }
  if (sign < 0 || text.charCodeAt(text.length - 1) === 67 /* C of BC */) return null;
  const parts = text.slice(sign + 1).split(':');
  const offset = (text.charCodeAt(sign) === 45 ? -1 : 1) *
    (Number(parts[0]) * 3600 + Number(parts[1] ?? 0) * 60 + Number(parts[2] ?? 0));
  const local = Date.UTC(
    Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)),
    Number(text.slice(11, 13)), Number(text.slice(14, 16)), Number(text.slice(17, 19)),
  );
  if (Number.isNaN(local) || Number.isNaN(offset)) return null;
  const utc = new Date(local - offset * 1000).toISOString(); // whole seconds: the fraction is unchanged
  if (utc.charCodeAt(0) === 43 || utc.charCodeAt(0) === 45) return null; // year outside 0000-9999
  const fraction = sign > 19 ? text.slice(19, sign) : '';
  return `${utc.slice(0, 10)} ${utc.slice(11, 19)}${fraction}+00`;
}

/**
 * A timestamp bound as text with no zone (`2024-01-02 03:04:05`, SQLite's own form) is UTC to
 * SQLite; PostgreSQL would read it in the session's TimeZone, so it gets an explicit `Z`.
 */
export function timestampParamText(text: string): string {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return text;
  for (let i = 10; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const plain = (c >= 48 && c <= 57) || c === 58 /* : */ || c === 46 /* . */ || c === 32 || c === 84 /* T */;
    if (!plain) return text; // it has a zone (Z, +hh, -hh, a name) or is not a plain timestamp
  }
  return text + 'Z';
}
