/**
 * "Mirror lag and gaps", from the mirror's progress table. A gap (writes that never reached the
 * secondary) fails the check until `verify --repair` has fixed it and the window has moved past
 * it. No mirror at all is expected before the canary, and a failure from the canary on: the
 * cutover must not go on without SQLite and PostgreSQL having been compared live.
 */
import type { PgClient } from '../../migrate';
import { displayTime } from '../../shadow/report';
import { failed, passed, skipped, sqliteFrozen, type CheckResult, type CutoverStage } from '../stage';
import { MIRROR_TABLE, readMirrors, type MirrorRow } from './mirror-rows';

const TITLE = 'Mirror lag and gaps';
/** A mirror that has not written its row for this long is taken as dead (its process ended without close()). */
export const STALE_MS = 5 * 60_000;
/** Lag beyond which the secondary is too far behind to go on. */
export const LAG_LIMIT_MS = 60_000;

export interface MirrorCheckOptions {
  schema: string;
  stage: CutoverStage;
  /** Gaps of mirrors that ended before this instant are not counted (null: all). */
  since: Date | null;
  windowLabel: string;
  now: Date;
}

export async function checkMirror(client: PgClient, options: MirrorCheckOptions): Promise<CheckResult> {
  let mirrors: MirrorRow[] | null;
  try {
    mirrors = await readMirrors(client, options.schema);
  } catch (error) {
    return failed('mirror', TITLE, `Cannot read ${options.schema}.${MIRROR_TABLE} (${(error as Error).message}): check that this CLI and the engine run the same swarm-registry-adapter version.`);
  }
  if (mirrors === null || mirrors.length === 0) return noMirror(options.stage);
  const details = { mirrors };
  const now = options.now.getTime();
  const inWindow = mirrors.filter((m) => !m.closed || options.since === null || m.updatedAt >= options.since);
  const live = mirrors.filter((m) => !m.closed && now - m.updatedAt.getTime() < STALE_MS);
  const dead = inWindow.filter((m) => !m.closed && now - m.updatedAt.getTime() >= STALE_MS);

  const unlogged = live.filter((m) => m.logError !== null);
  if (unlogged.length > 0) {
    const m = unlogged[0]!;
    return failed('mirror', TITLE, `The divergence log of the ${who(m)} cannot be written (${m.logError}): its divergences are lost. Create the folder or fix its permissions (or point REGISTRY_DIVERGENCE_LOG at a writable file and restart the engine).`, details);
  }
  const withGaps = inWindow.filter((m) => m.gaps > 0 || m.overflow > 0);
  if (withGaps.length > 0) {
    const lost = withGaps.reduce((n, m) => n + m.gaps, 0);
    const overflow = withGaps.reduce((n, m) => n + m.overflow, 0);
    return failed('mirror', TITLE, `${lost} gap(s)${overflow ? ` and ${overflow} overflowed write(s)` : ''} in ${options.windowLabel} (${withGaps.map(who).join(', ')}): writes never reached ${secondaryOf(withGaps[0]!)}; run ${repairCommand(withGaps[0]!)}, then status with a --window that starts after the repair.`, details);
  }
  // With SQLite answering, the writes of a process that died wait in the change log, not in its
  // memory: none is lost, and "Change log applied" says whether they are applied.
  const lostQueue = dead.filter((m) => m.queueDepth > 0 && m.primarySide !== 'sqlite');
  if (lostQueue.length > 0) {
    const m = lostQueue[0]!;
    return failed('mirror', TITLE, `${who(m)} stopped reporting at ${displayTime(m.updatedAt.toISOString())} UTC without closing, with ${m.queueDepth} write(s) queued that may never have reached ${secondaryOf(m)}: run ${repairCommand(m)}.`, details);
  }
  if (sqliteFrozen(options.stage) && live.length > 0) {
    return failed('mirror', TITLE, `${live.map(who).join(', ')} still run(s) in shadow mode: restart them with REGISTRY_BACKEND=postgres.`, details);
  }
  const lag = Math.max(0, ...live.map((m) => m.lagMs));
  const queue = live.reduce((n, m) => n + m.queueDepth, 0);
  if (lag > LAG_LIMIT_MS) {
    return failed('mirror', TITLE, `The secondary is ${(lag / 1000).toFixed(0)} s behind (${queue} write(s) queued, ${live.reduce((n, m) => n + m.outages, 0)} outage(s)): wait for it to catch up, or find out why it is slow, before going on.`, details);
  }
  if (live.length > 0) {
    return passed('mirror', TITLE, `${live.length} mirror(s) running, lag ${lag} ms, ${queue} write(s) queued, no gap in ${options.windowLabel}.`, details);
  }
  const last = mirrors[0]!;
  const running = options.stage === 'shadow-sqlite' || options.stage === 'shadow-postgres' ? ' (none running now: is the engine up?)' : '';
  return passed('mirror', TITLE, `No gap in ${options.windowLabel}; the last mirror (${who(last)}) ${last.closed ? 'closed' : 'reported'} at ${displayTime(last.updatedAt.toISOString())} UTC with ${last.applied} of ${last.enqueued} write(s) applied${running}.`, details);
}

function noMirror(stage: CutoverStage): CheckResult {
  if (stage === 'sqlite') {
    return skipped('mirror', TITLE, 'No mirror has run yet: expected before the canary (the engine starts one with REGISTRY_BACKEND=shadow).');
  }
  if (sqliteFrozen(stage)) {
    return failed('mirror', TITLE, 'No mirror has run, so SQLite and PostgreSQL were never compared live: run the canary (REGISTRY_BACKEND=shadow, runbook steps 1–4) before retiring SQLite.');
  }
  return failed('mirror', TITLE, `No mirror has run: start the engine with REGISTRY_BACKEND=shadow and DATABASE_URL set (each process records its mirror in ${MIRROR_TABLE}).`);
}

function who(m: MirrorRow): string {
  return `mirror of pid ${m.pid} on ${m.host}`;
}

function secondaryOf(m: MirrorRow): string {
  return m.primarySide === 'postgres' ? 'SQLite' : 'PostgreSQL';
}

function repairCommand(m: MirrorRow): string {
  return m.primarySide === 'postgres' ? 'swarm-registry verify --repair --from postgres' : 'swarm-registry verify --repair';
}
