/**
 * The mirror's progress tables in the registry schema: written by the mirror worker
 * (mirror/progress.ts), read by `status` (src/cutover) and `report --html` (report/lag.ts).
 */
export const MIRROR_TABLE = '_registry_mirror';
export const LAG_TABLE = '_registry_mirror_lag';

/** The counters a mirror writes into its progress row, and `status` reads back. */
export interface MirrorProgress {
  enqueued: number;
  applied: number;
  lagMs: number;
  queueDepth: number;
  gaps: number;
  overflow: number;
  outages: number;
  closed: boolean;
  /** Why the divergence log cannot be written now (null: it can). */
  logError: string | null;
}

/** A mirror's whole progress row: which process, on which side, since when, and its counters. */
export interface MirrorRow extends MirrorProgress {
  mirrorId: string;
  host: string;
  pid: number;
  /** The side that answered the caller: the other one got the mirrored writes. */
  primarySide: string;
  startedAt: Date;
  updatedAt: Date;
}
