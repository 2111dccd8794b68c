/**
 * Keeps the password of `DATABASE_URL` out of every message, log line and error:
 * connection errors can quote the URL, and a message may be written to the divergence log.
 */

const MASK = '***';

// scheme://user:password@host — the password is whatever sits between the first ':' after the
// user and the last '@' before the host.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^\s/?#]*)@/gi;

/** The URL with its password replaced by `***` (unchanged when it has none). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const inQuery = parsed.searchParams.get('password');
    if (parsed.password === '' && !inQuery) return url;
    if (parsed.password !== '') parsed.password = MASK;
    if (inQuery) parsed.searchParams.set('password', MASK);
    return parsed.toString();
  } catch {
    return url.replace(URL_CREDENTIALS, `$1${MASK}@`);
  }
}

/**
 * `text` with every password removed: the one of `url` wherever it appears (raw, percent-encoded
 * or decoded), and the password part of any URL written in the text.
 */
export function redactSecrets(text: string, url?: string | null): string {
  let out = text.replace(URL_CREDENTIALS, `$1${MASK}@`);
  const password = url ? passwordOf(url) : undefined;
  if (password) {
    for (const form of new Set([password, safeDecode(password), encodeURIComponent(safeDecode(password))])) {
      if (form !== '') out = out.split(form).join(MASK);
    }
  }
  return out;
}

function passwordOf(url: string): string | undefined {
  try {
    return new URL(url).password || undefined;
  } catch {
    URL_CREDENTIALS.lastIndex = 0;
    const match = URL_CREDENTIALS.exec(url);
    URL_CREDENTIALS.lastIndex = 0;
    return match?.[2] || undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
