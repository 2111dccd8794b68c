/**
 * Recognises the timestamp texts the registry holds (SQLite's `YYYY-MM-DD HH:MM:SS[.fff]`, ISO
 * `YYYY-MM-DDTHH:MM:SS[.fff]Z`, optionally with an offset) and reads them as an instant, so shadow
 * mode compares timestamps by instant. Hand-written rather than a RegExp + Date.parse:
 * it runs for every text value of every compared read, and most text is not a timestamp.
 */

/** Milliseconds since the epoch (UTC) of a timestamp text, or undefined when `text` is not one. */
export function timestampInstant(text: string): number | undefined {
  const length = text.length;
  if (length < 19 || length > 35) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return undefined;
  }
  const separator = text.charCodeAt(10);
  if (separator !== 32 && separator !== 84 /* T */) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  let i = 19;
  let millis = 0;
  if (i < length && text.charCodeAt(i) === 46 /* . */) {
    const start = ++i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return undefined;
    millis = Number(`0.${text.slice(start, i)}`) * 1000;
  }
  const offsetMinutes = zoneOffset(text, i);
  if (offsetMinutes === undefined) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) + millis - offsetMinutes * 60000;
}

/** Minutes east of UTC of the zone at `text[i..]`: none or `Z` is UTC; `±HH`, `±HH:MM`, `±HHMM`. */
function zoneOffset(text: string, i: number): number | undefined {
  if (i === text.length) return 0;
  const c = text.charCodeAt(i);
  if (c === 90 /* Z */) return i + 1 === text.length ? 0 : undefined;
  if (c !== 43 && c !== 45) return undefined;
  const rest = text.slice(i + 1).replace(':', '');
  if (rest.length !== 2 && rest.length !== 4) return undefined;
  const hours = digits(rest, 0, 2);
  const minutes = rest.length === 4 ? digits(rest, 2, 4) : 0;
  if (hours < 0 || minutes < 0) return undefined;
  return (c === 45 ? -1 : 1) * (hours * 60 + minutes);
}

function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
