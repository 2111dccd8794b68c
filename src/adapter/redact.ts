/**
 * Keeps database passwords out of every message, log line and error: connection errors can quote
 * the connection string, and a message may be written to the divergence log.
 *
 * Every form `pg` accepts is covered: URLs (`postgres://`, `postgresql://`, `socket:`), with a
 * password percent-encoded or not (an unencoded `#`, `/`, `?` or `@` included), a password in the
 * query (`?password=`), the key=value form (`host=db password=secret`, `password='a b'`),
 * `"password": "..."` in a printed configuration, and the value of PGPASSWORD. Besides these
 * shapes, the password of the configured connection string and of PGPASSWORD is removed wherever
 * it appears, raw, percent-encoded or decoded.
 */

const MASK = '***';

/** `scheme://` and what follows up to a space or a quote: the credentials end at its last `@`. */
const URL_RUN = /\b([a-z][a-z0-9+.-]*:\/\/|socket:(?=[^\s'"]*@))([^\s'"<>`]*)/gi;
/** `password=value` in key=value strings and URL queries; the value quoted or bare. */
// A quoted value stops at a line end or a double quote, so a JSON line is never cut across its structure.
const KEY_VALUE = /(\bpassword\s*=\s*)('(?:[^'\\"\n]|\\[^"\n])*'?|[^\s&;,'")]+)/gi;
/** `"password": "..."` (also JSON-escaped inside another string). */
const JSON_FIELD = /((?:\\?")password(?:\\?")\s*:\s*(?:\\?"))((?:[^"\\]|\\.)*?)(\\?")/gi;
/** The credentials of our own examples (`postgresql://user:password@host`): not a secret. */
const PLACEHOLDER = 'user:password';

/** `run` (what follows `scheme://`) with the password part of its credentials masked. */
function maskCredentials(run: string): string {
  const at = run.lastIndexOf('@');
  if (at < 0) return run;
  const credentials = run.slice(0, at);
  const colon = credentials.indexOf(':');
  if (colon < 0) return run;
  const password = credentials.slice(colon + 1);
  if (password === '' || password === MASK || credentials === PLACEHOLDER) return run;
  return `${credentials.slice(0, colon + 1)}${MASK}${run.slice(at)}`;
}

/** The text with every password written in a connection-string shape masked. */
function maskShapes(text: string): string {
  let out = text.replace(URL_RUN, (_whole, scheme: string, run: string) => scheme + maskCredentials(run));
  out = out.replace(KEY_VALUE, (whole, lead: string, value: string) => (value === MASK ? whole : `${lead}${MASK}`));
  out = out.replace(JSON_FIELD, (whole, lead: string, value: string, close: string) => (value === '' || value === MASK ? whole : `${lead}${MASK}${close}`));
  return out;
}

/** The connection string with its password replaced by `***` (unchanged when it has none). */
export function redactUrl(url: string): string {
  return redactSecrets(url, url);
}

/**
 * `text` with every password removed: the one of `url` (any form) and of PGPASSWORD wherever they
 * appear, and the password part of any connection string written in the text.
 */
export function redactSecrets(text: string, url?: string | null): string {
  let out = maskShapes(text);
  const passwords = new Set<string>();
  for (const password of [...(url ? passwordsOf(url) : []), process.env.PGPASSWORD ?? '']) {
    for (const form of [password, safeDecode(password), encodeURIComponent(safeDecode(password)), encodeURI(safeDecode(password))]) {
      if (form !== '' && form !== MASK) passwords.add(form);
    }
  }
  for (const password of [...passwords].sort((a, b) => b.length - a.length)) {
    if (out.includes(password)) out = out.split(password).join(MASK);
  }
  return out;
}

/** Every password a connection string carries, in any of the forms `pg` reads. */
export function passwordsOf(url: string): string[] {
  const found: string[] = [];
  const trimmed = url.trim();
  // URL forms: between the first ':' after the user and the last '@'.
  const scheme = /^[a-z][a-z0-9+.-]*:(?:\/\/)?/i.exec(trimmed);
  if (scheme) {
    const rest = trimmed.slice(scheme[0].length);
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const credentials = rest.slice(0, at);
      const colon = credentials.indexOf(':');
      if (colon >= 0) found.push(credentials.slice(colon + 1));
    }
    try {
      const parsed = new URL(trimmed);
      if (parsed.password) found.push(parsed.password);
      const query = parsed.searchParams.get('password');
      if (query) found.push(query);
    } catch {
      // Not a WHATWG URL: the shapes below still apply.
    }
  }
  // key=value (libpq's form) and `?password=` / `&password=`.
  for (const m of trimmed.matchAll(/(?:^|[\s?&;])password\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;]+)/gi)) {
    const value = m[1]!;
    if (value.startsWith("'") || value.startsWith('"')) {
      const inner = value.slice(1, -1);
      found.push(inner.replace(/\\(.)/g, '$1'), inner, value);
    } else found.push(value);
  }
  return found.filter((p) => p !== '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
