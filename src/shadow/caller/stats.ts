/** db.shadowStats(): the mirror's counters, read synchronously from the memory it shares with the worker. */
import { DIFFERENCE_KINDS, type DifferenceKind, S, type SideName } from '../shared';
import type { MirrorChannel } from './mirror-channel';

export interface ShadowStats {
  primary: SideName;
  secondary: SideName;
  /** Ops handed to the mirror (writes and sampled reads). */
  enqueued: number;
  /** Writes handed to the mirror. */
  enqueuedWrites: number;
  /** Writes applied on the secondary. */
  mirrored: number;
  /** Answers compared, and how many agreed. */
  compared: number;
  matched: number;
  diverged: number;
  divergedByKind: Record<DifferenceKind, number>;
  /** Statements reported as not mirrorable, and the writes among their runs (never applied: a potential gap). */
  notMirrorable: number;
  notMirrorableWrites: number;
  /** Ops enqueued but not yet finished by the mirror. */
  queueDepth: number;
  lagOps: number;
  /** Age of the last op the mirror finished, when it finished it (0 when idle). */
  lagMs: number;
  outages: number;
  reconnections: number;
  /** The secondary is unreachable right now. */
  down: boolean;
  /** Ops (and writes among them) dropped because the queue was full. */
  overflow: number;
  overflowWrites: number;
  /** Writes the secondary never received (overflow, outages, close timeout): run `swarm-registry verify`. */
  gaps: number;
  workerErrors: number;
  /** Change log: compared reads left uncompared because a logged write in between touched their tables. */
  inconclusive: number;
  /** Change log: the applied position last seen, and whether this process is the applier now. */
  appliedPosition: number;
  applier: boolean;
  /** Differences on rows the backfill skipped by the operator's choice: acknowledged, not divergences. */
  acknowledged: number;
}

export function readShadowStats(channel: MirrorChannel, sides: { primary: SideName; secondary: SideName }): ShadowStats {
  const s = channel.stats;
  const byKind = {} as Record<DifferenceKind, number>;
  DIFFERENCE_KINDS.forEach((kind, i) => {
    byKind[kind] = s[S.byKind + i]!;
  });
  const depth = Math.max(0, channel.depth);
  return {
    primary: sides.primary,
    secondary: sides.secondary,
    enqueued: s[S.enqueued]!,
    enqueuedWrites: s[S.enqueuedWrites]!,
    mirrored: s[S.mirroredWrites]!,
    compared: s[S.compared]!,
    matched: s[S.matched]!,
    diverged: s[S.diverged]!,
    divergedByKind: byKind,
    notMirrorable: s[S.notMirrorable]!,
    notMirrorableWrites: s[S.notMirrorableWrites]!,
    queueDepth: depth,
    lagOps: depth,
    lagMs: s[S.lagMs]!,
    outages: s[S.outages]!,
    reconnections: s[S.reconnections]!,
    down: s[S.down]! > 0,
    overflow: s[S.overflowOps]!,
    overflowWrites: s[S.overflowWrites]!,
    gaps: s[S.gaps]! + s[S.overflowWrites]!,
    workerErrors: s[S.workerErrors]!,
    inconclusive: s[S.inconclusive]!,
    appliedPosition: s[S.appliedPosition]!,
    applier: s[S.leader]! > 0,
    acknowledged: s[S.acknowledged]!,
  };
}
