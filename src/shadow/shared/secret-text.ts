/**
 * Secrets inside error messages, decided by the registry policy (src/policy/secrets.ts): key
 * details and failing rows of tables with secrets, values the caller bound, values this process
 * has seen pass through a secret column, and passwords of database URLs.
 */
import { redactText, type SecretColumns } from '../../policy';

export interface TextRedaction {
  secrets: SecretColumns;
  /** Clear secret values known to the caller (those bound to secret columns, found in answers). */
  secretValues?: Iterable<unknown>;
  /** DATABASE_URL, whose password must not appear either. */
  databaseUrl?: string | null;
  /** The statement the text is about. */
  sql?: string;
}

/** `text` with secret values hashed and passwords masked. */
export function redactErrorText(text: string, redaction: TextRedaction): string {
  return redactText(text, {
    secrets: redaction.secrets,
    ...(redaction.secretValues ? { values: redaction.secretValues } : {}),
    ...(redaction.databaseUrl !== undefined ? { databaseUrl: redaction.databaseUrl } : {}),
    ...(redaction.sql !== undefined ? { sql: redaction.sql } : {}),
  });
}

/** Every appearance of a known secret value replaced by its hash. */
export function hideKnownValues(text: string, values: Iterable<unknown> | undefined): string {
  return redactText(text, values ? { values } : {});
}
