/**
 * Passwords never reach a message, a log line or an error: every URL is printed through redactUrl,
 * and any free text that might quote one (a driver's error) through redactSecrets.
 */

/** The URL with its password replaced by `***` (text that is not a URL is returned unchanged). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    const pw = url.searchParams.get('password');
    if (pw) url.searchParams.set('password', '***');
    return url.toString();
  } catch {
    return text.replace(/(\/\/[^:/@\s]+:)[^@\s]*@/g, '$1***@');
  }
}

/** `text` with every URL password and, when given, the password of `url` replaced by `***`. */
export function redactSecrets(text: string, url?: string | null): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]*@/gi, '$1***@');
  if (url) {
    let password = '';
    try {
      password = decodeURIComponent(new URL(url).password);
    } catch {
      password = '';
    }
    if (password.length >= 1) out = out.split(password).join('***');
  }
  return out;
}
