/**
 * Secrets inside error messages: PostgreSQL quotes the offending values in its details
 * (`Key (webhook_secret)=(s3cr3t) already exists.`, `Failing row contains (...)`), and a message
 * may repeat a value the caller bound. Passwords of database URLs go as everywhere (redact.ts).
 */
import { redactSecrets } from '../adapter/redact';
import { hashSecret, secretTexts, type SecretColumns } from './secret-columns';

// The value list ends where PostgreSQL's sentence goes on; lazy, so the first ending wins.
const KEY_DETAIL = /Key \(([^)]*)\)=\(([\s\S]*?)\)(?= already exists| is not present| is still referenced| conflicts with| is duplicated|\.?\s*$|\.\s)/g;
const FAILING_ROW = /(Failing row contains \()([\s\S]*?)(\)(?:\.?\s*$|\.\s))/g;
const RELATION = /relation "([^"]+)"/g;

export interface TextRedaction {
  secrets: SecretColumns;
  /** Clear secret values known to the caller (those bound to secret columns, found in answers). */
  secretValues?: Iterable<unknown>;
  /** DATABASE_URL, whose password must not appear either. */
  databaseUrl?: string | null;
}

/** `text` with secret values hashed and passwords masked. */
export function redactErrorText(text: string, redaction: TextRedaction): string {
  const { secrets } = redaction;
  let out = text.replace(KEY_DETAIL, (_whole, columns: string, values: string) => `Key (${columns})=(${keyValues(columns, values, secrets)})`);
  if (mayHoldSecretRow(out, secrets)) out = out.replace(FAILING_ROW, (_whole, open: string, values: string, close: string) => open + hashSecret(values) + close);
  out = hideKnownValues(out, redaction.secretValues);
  return redactSecrets(out, redaction.databaseUrl);
}

/** Hashes the values of secret columns in a key detail; the whole list when it cannot be split safely. */
function keyValues(columns: string, values: string, secrets: SecretColumns): string {
  const names = columns.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  const secret = names.map((name) => secrets.names.has(name.toLowerCase()));
  if (!secret.some(Boolean)) return values;
  const parts = values.split(', ');
  if (parts.length !== names.length) return hashSecret(values) ?? '';
  return parts.map((part, i) => (secret[i] ? hashSecret(part) : part)).join(', ');
}

/** A failing row may hold secrets unless the message names only relations without secret columns. */
function mayHoldSecretRow(text: string, secrets: SecretColumns): boolean {
  if (!text.includes('Failing row contains')) return false;
  const relations = [...text.matchAll(RELATION)].map((m) => m[1]!.toLowerCase().replace(/^.*\./, ''));
  return relations.length === 0 || relations.some((r) => secrets.tables.has(r));
}

/** Every appearance of a known secret value replaced by its hash (longest first, so no part survives). */
export function hideKnownValues(text: string, values: Iterable<unknown> | undefined): string {
  if (!values) return text;
  const forms = new Map<string, string>();
  for (const value of values) {
    for (const form of secretTexts(value)) if (form.length >= 3) forms.set(form, hashSecret(value) ?? '');
  }
  let out = text;
  for (const form of [...forms.keys()].sort((a, b) => b.length - a.length)) {
    if (out.includes(form)) out = out.split(form).join(forms.get(form)!);
  }
  return out;
}
