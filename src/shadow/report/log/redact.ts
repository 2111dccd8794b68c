/**
 * Samples shown by `report` are redacted once more, by column name only: the log's own writer
 * already hashed secrets, but a log can come from an older version or another writer, and a
 * report is what gets pasted into tickets. Hashing is idempotent, so redacted values stay as they are.
 */
import { redactSecrets } from '../../../adapter';
import type { LoggedRecord } from './read';
import { defaultSecretColumns, hashSecret, redactErrorText, type SecretColumns } from '../../shared';

export function redactLoggedRecord(record: LoggedRecord, secrets: SecretColumns = defaultSecretColumns, databaseUrl?: string | null): LoggedRecord {
  return redactTree(record, undefined, secrets, databaseUrl) as LoggedRecord;
}

const MESSAGE_FIELDS = new Set(['message', 'primaryMessage', 'secondaryMessage', 'error']);

/** `table` is set inside an `expand` row ({ table: { column } }) or when the key path names one. */
function redactTree(value: unknown, key: string | undefined, secrets: SecretColumns, databaseUrl: string | null | undefined): unknown {
  if (key !== undefined && secrets.names.has(key.toLowerCase())) return hashTree(value);
  if (typeof value === 'string') {
    return key !== undefined && MESSAGE_FIELDS.has(key) ? redactErrorText(value, { secrets, databaseUrl }) : redactSecrets(value, databaseUrl);
  }
  if (Array.isArray(value)) return value.map((item) => redactTree(item, undefined, secrets, databaseUrl));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(object)) out[name] = redactTree(item, name, secrets, databaseUrl);
  // A value-difference detail names its column beside the values.
  if (typeof object.column === 'string' && secrets.names.has(object.column.toLowerCase())) {
    if ('primary' in out) out.primary = hashTree(object.primary);
    if ('secondary' in out) out.secondary = hashTree(object.secondary);
  }
  return out;
}

function hashTree(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as Record<string, unknown>;
    if (typeof tagged.$bytes === 'string') return hashSecret(Buffer.from(tagged.$bytes, 'hex'));
    return hashSecret(JSON.stringify(value));
  }
  return hashSecret(typeof value === 'string' ? value : JSON.stringify(value));
}
