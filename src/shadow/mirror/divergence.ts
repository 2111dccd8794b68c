/**
 * The divergence record: one JSON line per divergence in the log (docs/shadow-mode.md, The divergence log). Statement
 * comparisons carry the statement, its fingerprint, the parameters, both answers and the
 * caller's frame, with secret values hashed and large results cut to a few rows; the mirror's own
 * events (not mirrorable, gaps, outages) are records of the same log.
 */
import { fingerprint as fingerprintOf, type ParamSlot } from '../../translator';
import {
  type Answer, defaultSecretColumns, type Difference, type DifferenceKind, learnAnswer, redactAnswer,
  redactErrorText, redactParams, redactResultValue, type SecretColumns, type SideName, type StatementSecrets,
  textRedaction,
} from '../shared';
import { callerFrame } from './caller-frame';
import { toJsonValue, type JsonValue } from './json-value';
import { redactStatementText } from '../../policy';

export type { JsonValue } from './json-value';

/** An answer as recorded: rows cut to the first few, with the full count. */
export type RecordedAnswer =
  | { type: 'rows'; rowCount: number; rows: JsonValue[]; truncated?: true }
  | { type: 'run'; changes: number }
  | { type: 'error'; code: string; message: string };

interface RecordBase {
  /** ISO-8601. */
  time: string;
  /** What the log rate-limits by: the statement's fingerprint, or the event's kind. */
  fingerprint: string;
  /** Lines of this fingerprint left out by the rate limit since the last one written. */
  suppressed?: number;
}

export interface StatementDivergence extends RecordBase {
  kind: DifferenceKind;
  statement: string;
  params: JsonValue[];
  primarySide: SideName;
  secondarySide: SideName;
  primary: RecordedAnswer;
  secondary: RecordedAnswer;
  detail: JsonValue;
  frame?: string;
}

export interface NotMirrorableRecord extends RecordBase {
  kind: 'not_mirrorable';
  statement: string;
  /** Why (e.g. "random()", "db.function(\"slugify\")"). */
  reasons: string[];
  frame?: string;
}

export const GAP_ADVICE = 'The secondary database missed writes: run `swarm-registry verify` (then `verify --repair`) to find and fix what differs.';

export interface MirrorGapRecord extends RecordBase {
  kind: 'mirror_gap';
  cause: 'queue_overflow' | 'outage' | 'close_timeout' | 'apply_error';
  /** For `apply_error`: why the group could not be applied (redacted). */
  error?: string;
  /** Writes the secondary never received. */
  droppedWrites: number;
  /** Start of the gap (ISO), when known. */
  since?: string;
  advice: string;
}

export interface MirrorOutageRecord extends RecordBase {
  kind: 'mirror_outage';
  /** Why the secondary is unreachable (passwords and secrets removed). */
  error: string;
}

export interface MirrorResumedRecord extends RecordBase {
  kind: 'mirror_resumed';
  downMs: number;
}

/** Written once when a log is closed: what the rate limit left out, and what could not be written. */
export interface LogSummaryRecord extends RecordBase {
  kind: 'log_summary';
  suppressedByFingerprint: Record<string, number>;
  suppressedTotal: number;
  written: number;
  ioFailures: number;
}

/**
 * A difference explained by a row the operator chose to leave out of the backfill
 * (`_registry_backfill_exceptions`): the statement's parameters or answer name it. Reported, never
 * counted as a divergence.
 */
export interface AcknowledgedRecord extends Omit<StatementDivergence, 'kind'> {
  kind: 'acknowledged_exception';
  /** The kind of the difference (`changes`, `rows`, ...). */
  difference: DifferenceKind;
  /** The skipped row: its table and key, and why the backfill left it out. */
  exception: { table: string; key: string; reason: string };
}

export function acknowledged(record: StatementDivergence, exception: AcknowledgedRecord['exception']): AcknowledgedRecord {
  return { ...record, kind: 'acknowledged_exception', difference: record.kind, exception };
}

export type DivergenceRecord =
  | StatementDivergence
  | AcknowledgedRecord
  | NotMirrorableRecord
  | MirrorGapRecord
  | MirrorOutageRecord
  | MirrorResumedRecord
  | LogSummaryRecord;

export type RecordKind = DivergenceRecord['kind'];

export const MAX_RECORDED_ROWS = 5;

export interface StatementDivergenceInput {
  /** The SQLite SQL as the caller prepared it. */
  statement: string;
  /** The caller's arguments to run/get/all/iterate, as passed. */
  params: readonly unknown[];
  primary: Answer;
  secondary: Answer;
  difference: Difference;
  primarySide: SideName;
  secondarySide: SideName;
  /** Translation.slots: which parameters are bound to secret columns. */
  slots?: readonly ParamSlot[];
  /** `new Error().stack` taken on the caller's thread. */
  stack?: string;
  /** Translation.tables, SQLite's result column names, or per-column secret flags (see StatementSecrets). */
  secretsContext?: Omit<StatementSecrets, 'secretValues'>;
  time?: Date;
  maxRows?: number;
}

export function statementDivergence(input: StatementDivergenceInput): StatementDivergence {
  const secrets = input.secretsContext?.secrets ?? defaultSecretColumns;
  const { params, secretValues } = redactParams(input.params, input.slots, secrets, input.statement);
  const context: StatementSecrets = { ...input.secretsContext, sql: input.statement, secrets, secretValues };
  // Both answers' secret columns first: a value read there is hidden wherever else it appears.
  learnAnswer(input.primary, context);
  learnAnswer(input.secondary, context);
  const maxRows = input.maxRows ?? MAX_RECORDED_ROWS;
  const record: StatementDivergence = {
    time: (input.time ?? new Date()).toISOString(),
    kind: input.difference.kind,
    fingerprint: safeFingerprint(input.statement),
    statement: redactStatementText(input.statement, { secrets, values: secretValues }),
    params: params.map((p) => toJsonValue(p)),
    primarySide: input.primarySide,
    secondarySide: input.secondarySide,
    primary: recordAnswer(redactAnswer(input.primary, context), maxRows),
    secondary: recordAnswer(redactAnswer(input.secondary, context), maxRows),
    detail: toJsonValue(redactDetail(input.difference, context)),
  };
  const frame = callerFrame(input.stack);
  if (frame) record.frame = frame;
  return record;
}

export function notMirrorable(input: { statement: string; reasons: readonly string[]; stack?: string; time?: Date }): NotMirrorableRecord {
  const record: NotMirrorableRecord = {
    time: (input.time ?? new Date()).toISOString(),
    kind: 'not_mirrorable',
    fingerprint: safeFingerprint(input.statement),
    statement: redactStatementText(input.statement),
    reasons: [...input.reasons],
  };
  const frame = callerFrame(input.stack);
  if (frame) record.frame = frame;
  return record;
}

export function mirrorGap(input: { cause: MirrorGapRecord['cause']; droppedWrites: number; since?: Date; time?: Date; error?: unknown; databaseUrl?: string | null }): MirrorGapRecord {
  const record: MirrorGapRecord = {
    time: (input.time ?? new Date()).toISOString(),
    kind: 'mirror_gap',
    fingerprint: 'mirror_gap',
    cause: input.cause,
    droppedWrites: input.droppedWrites,
    advice: GAP_ADVICE,
  };
  if (input.since) record.since = input.since.toISOString();
  if (input.error !== undefined) {
    const message = input.error instanceof Error ? input.error.message : String(input.error);
    record.error = redactErrorText(message, { secrets: defaultSecretColumns, databaseUrl: input.databaseUrl });
  }
  return record;
}

export function mirrorOutage(input: { error: unknown; databaseUrl?: string | null; secrets?: SecretColumns; time?: Date }): MirrorOutageRecord {
  const message = input.error instanceof Error ? input.error.message : String(input.error);
  return {
    time: (input.time ?? new Date()).toISOString(),
    kind: 'mirror_outage',
    fingerprint: 'mirror_outage',
    error: redactErrorText(message, { secrets: input.secrets ?? defaultSecretColumns, databaseUrl: input.databaseUrl }),
  };
}

export function mirrorResumed(input: { downMs: number; time?: Date }): MirrorResumedRecord {
  return { time: (input.time ?? new Date()).toISOString(), kind: 'mirror_resumed', fingerprint: 'mirror_resumed', downMs: input.downMs };
}

function recordAnswer(answer: Answer, maxRows: number): RecordedAnswer {
  if (answer.type !== 'rows') return answer;
  const recorded: RecordedAnswer = { type: 'rows', rowCount: answer.rows.length, rows: answer.rows.slice(0, maxRows).map((row) => toJsonValue(row)) };
  if (answer.rows.length > maxRows) recorded.truncated = true;
  return recorded;
}

/** The difference's own copies of values and messages, redacted like the answers. */
function redactDetail(difference: Difference, context: StatementSecrets): unknown {
  const text = (message: string) => redactErrorText(message, textRedaction(context));
  switch (difference.kind) {
    case 'rows': {
      const { column } = difference.detail;
      return {
        ...difference.detail,
        primary: redactResultValue(column, difference.detail.primary, context),
        secondary: redactResultValue(column, difference.detail.secondary, context),
      };
    }
    case 'error_primary_only':
    case 'error_secondary_only':
      return { ...difference.detail, message: text(difference.detail.message) };
    case 'error_mismatch':
      return { ...difference.detail, primaryMessage: text(difference.detail.primaryMessage), secondaryMessage: text(difference.detail.secondaryMessage) };
    default:
      return difference.detail;
  }
}

function safeFingerprint(statement: string): string {
  try {
    return fingerprintOf(statement);
  } catch {
    return 'unfingerprinted';
  }
}
