/**
 * What the mirror worker asks of the secondary: apply a group of ops, in order, in one
 * transaction, and return each op's answer shaped as SQLite returns it. Two implementations:
 * apply-postgres.ts (SQLite primary) and apply-sqlite.ts (PostgreSQL primary).
 */
import type { ParamSlot } from '../../translator';
import type { Answer, MirrorOp } from '../shared';

export interface OpResult {
  /** The secondary's answer; absent when the op was not run (not mirrorable, a no-op) or not compared. */
  answer?: Answer;
  /** Why the op cannot be repeated on the secondary: reported once, not applied. */
  notMirrorable?: string[];
  /** From the secondary's translation (PostgreSQL secondary): what comparing and redacting need. */
  ordered?: boolean;
  slots?: ParamSlot[];
  tables?: string[];
  columnNames?: string[];
}

/**
 * Statements of the applier's own around a group, in the same secondary transaction (the change
 * log's position): `first` runs before the ops, `last` after them; a `check` that throws rolls the
 * whole group back. The answer of `first` is left in `firstRows`.
 */
export interface GroupFrame {
  /** Run the group as one snapshot (reads compared at a known applied position). */
  snapshot?: boolean;
  first?: { text: string; values: unknown[] };
  last?: { text: string; values: unknown[]; check?: (rowCount: number) => void };
  firstRows?: Array<Array<string | null>>;
}

export interface Applier {
  /** Applies `ops` in one secondary transaction. Throws SecondaryDown (nothing applied) or CommitUnknown. */
  applyGroup(ops: MirrorOp[], frame?: GroupFrame): Promise<OpResult[]>;
  close(): Promise<void>;
}

/** The secondary cannot be reached: nothing of the group was applied; try again later. */
export class SecondaryDown extends Error {
  override name = 'SecondaryDown';
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** The connection died during COMMIT: whether the group was applied is unknown (a gap). */
export class CommitUnknown extends Error {
  override name = 'CommitUnknown';
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** Structured clone turns Buffers into Uint8Arrays: give the drivers Buffers back. */
export function reviveArgs(args: unknown[]): unknown[] {
  return args.map((a) => {
    if (a instanceof Uint8Array) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    if (Array.isArray(a)) return a.map((v) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v));
    if (a !== null && typeof a === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(a)) out[k] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
      return out;
    }
    return a;
  });
}

export function errorAnswer(error: unknown): Answer {
  const e = error as { code?: unknown; message?: unknown };
  return { type: 'error', code: typeof e.code === 'string' ? e.code : 'SQLITE_ERROR', message: typeof e.message === 'string' ? e.message : String(error) };
}
