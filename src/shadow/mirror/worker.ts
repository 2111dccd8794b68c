/**
 * The mirror worker thread: everything shadow mode does for the secondary happens here, off the
 * caller's thread — applying the ops in order (grouped into larger transactions, never
 * reordered), comparing answers, writing the divergence log, keeping the shared counters and the
 * progress table, reconnecting after an outage, and draining at close.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  type Answer, C_CLOSED, C_EXITED, C_METRICS, DIFFERENCE_KINDS, learnAnswer, type MirrorConfig, type MirrorOp,
  S, type StatementMeta, type ToMirror, WireDecoder, whyUnwritable,
} from '../shared';
import { CommitUnknown, SecondaryDown, type Applier, type OpResult } from './applier';
import { PostgresApplier, mirrorPool } from './apply-postgres';
import { SqliteApplier } from './apply-sqlite';
import { acknowledged, mirrorGap, mirrorOutage, mirrorResumed, notMirrorable, statementDivergence } from './divergence';
import { DivergenceLog } from './divergence-log';
import { compareOp } from './compare-op';
import { DEFAULT_TIMESTAMP_TOLERANCE_MS } from './compare';
import { ProgressTable } from './progress';
import { LogLoop } from './changelog-loop';
import { BackfillExceptions } from './backfill-exceptions';
import { ForwardingRecorder, setMetricsRecorder } from '../../metrics';
import { knownSecrets, learnStatement } from '../../policy';

/**
 * One mirror: everything for one shadow-mode database, from its start to its close. The thread
 * runs one at a time; after a close it may be handed the next database's settings (`start`).
 */
function runMirror(config: MirrorConfig): { control: Int32Array; stats: Float64Array; onMessage: (message: ToMirror) => void } {
  const stats = new Float64Array(config.stats);
  const control = new Int32Array(config.control);
  const metrics = new ForwardingRecorder(() => Atomics.load(control, C_METRICS) === 1);
  setMetricsRecorder(metrics);
  const log = new DivergenceLog(config.divergenceLog, { databaseUrl: config.databaseUrl });
  let applier: Applier = config.secondarySide === 'postgres' ? new PostgresApplier(config) : new SqliteApplier(config);
  if (config.applierWrapper) {
    // Test seam: wraps the applier to inject a slow or failing secondary.
    const wrap = (require(config.applierWrapper) as { default?: (a: Applier) => Applier } & ((a: Applier) => Applier));
    applier = (wrap.default ?? wrap)(applier);
  }
  // The change log's applier reads the log and beats its heartbeat on this pool too.
  const progressPool = applier instanceof PostgresApplier ? applier.pool : mirrorPool(config, config.changeLog ? 2 : 1);
  const progress = new ProgressTable(progressPool, config);
  // Rows the operator chose to skip in the backfill are in SQLite only: differences on them are acknowledged.
  const exceptions = config.secondarySide === 'postgres' ? new BackfillExceptions(progressPool, config.pgSchema) : undefined;
  // Nothing is compared before the first read of them.
  const exceptionsRead = exceptions?.reload();

  const metaBySql = new Map<string, StatementMeta>();
  const decoder = new WireDecoder();
  const reported = new Set<string>();
  let queue: MirrorOp[] = [];
  let head = 0;
  let pumping = false;
  let closeDeadline: number | undefined;
  let downSince: number | undefined;
  let lostSince: Date | undefined;
  let lostWrites = 0;
  let overflowReported = 0;
  let lastProgress = 0;

  /** With the change log: writes come from the log, reads from this process (changelog-loop.ts). */
  const logLoop = config.changeLog
    ? new LogLoop(config, applier, progressPool, stats, {
        check: (op, result) => {
          try {
            finishOp(op, result);
          } catch {
            stats[S.workerErrors]!++;
          }
        },
        learn: (op) => {
          if (op.meta && !metaBySql.has(op.sql)) metaBySql.set(op.sql, op.meta);
        },
        down,
        resumed,
        noteLag,
        workerError: () => {
          stats[S.workerErrors]!++;
        },
        // Statements of a group run pipelined in one transaction: each counts at the group's time per statement.
        timed: (count, ms) => metrics.statement(config.secondarySide, 'secondary', ms / 1000 / count, count),
        started: async () => {
          await exceptions?.reload();
        },
      })
    : undefined;
  if (logLoop) void Promise.resolve(exceptionsRead).then(() => logLoop.run()).then(finishClose, finishClose);

  const onMessage = (message: ToMirror): void => {
    if (logLoop && message.type === 'ops') {
      const reads: MirrorOp[] = [];
      decoder.decode(message.ops, reads);
      for (const op of reads) if (op.meta) metaBySql.set(op.sql, op.meta);
      logLoop.add(reads.map(withMeta), message.logged);
    } else if (logLoop && message.type === 'close') {
      logLoop.close(message.deadline);
    } else if (message.type === 'ops') {
      const from = queue.length;
      decoder.decode(message.ops, queue);
      for (let i = from; i < queue.length; i++) {
        const op = queue[i]!;
        if (op.meta) metaBySql.set(op.sql, op.meta);
      }
      void pump();
    } else if (message.type === 'secrets') {
      knownSecrets.import(message.entries);
    } else if (message.type === 'close') {
      closeDeadline = message.deadline;
      void pump();
    }
  };

  const timer = setInterval(() => {
    metrics.flush(parentPort);
    reportOverflow();
    exceptions?.refresh();
    void writeProgress(false);
  }, 1000);
  timer.unref();

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    await exceptionsRead;
    let backoff = 50;
    try {
      while (head < queue.length) {
        if (closeDeadline !== undefined && Date.now() > closeDeadline) break;
        const group = takeGroup();
        try {
          const started = performance.now();
          const results = await applier.applyGroup(group);
          // Statements of a group run pipelined in one transaction: each counts at the group's time per statement.
          metrics.statement(config.secondarySide, 'secondary', (performance.now() - started) / 1000 / group.length, group.length);
          noteLag(Date.now() - group[0]!.t); // a DEFAULT CURRENT_TIMESTAMP landed up to this late
          resumed();
          backoff = 50;
          finish(group, results);
        } catch (error) {
          if (error instanceof SecondaryDown) {
            down(error.reason);
            await sleep(Math.min(backoff, closeDeadline !== undefined ? Math.max(0, closeDeadline - Date.now()) : backoff));
            backoff = Math.min(backoff * 2, 2000);
            continue; // the group was not applied: try it again
          }
          if (error instanceof CommitUnknown) {
            down(error.reason);
            lose(group);
          } else {
            // Not an outage: say what went wrong, so the gap can be understood and not only repaired.
            stats[S.workerErrors]!++;
            const writes = group.filter((op) => op.write).length;
            if (writes > 0) log.write(mirrorGap({ cause: 'apply_error', droppedWrites: writes, since: new Date(group[0]!.t), error, databaseUrl: config.databaseUrl }));
            count(group); // last: the group counts as processed once its record is written
          }
        }
        head += group.length;
        if (head > 4096 && head * 2 > queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        stats[S.lagMs] = head < queue.length ? Date.now() - queue[head]!.t : 0;
        if (Date.now() - lastProgress >= 1000) void writeProgress(false);
      }
    } finally {
      pumping = false;
    }
    stats[S.lagMs] = 0;
    if (closeDeadline !== undefined) await finishClose();
  }

  /** The next ops, up to the group size, never splitting a committed transaction. */
  function takeGroup(): MirrorOp[] {
    let end = Math.min(queue.length, head + config.groupSize);
    while (end < queue.length && queue[end - 1]!.more) end++;
    return queue.slice(head, end).map(withMeta);
  }

  function withMeta(op: MirrorOp): MirrorOp {
    if (!op.notMirrorable) {
      const meta = metaBySql.get(op.sql);
      if (meta?.notMirrorable) op.notMirrorable = meta.notMirrorable;
    }
    return op;
  }

  /**
   * Counts and compares each op of an applied group. An op counts as processed only once everything
   * it causes (its counters, its divergence record) is done: a caller that waits for the queue to
   * empty (queueDepth = enqueued - processed) then sees all of it.
   */
  function finish(group: MirrorOp[], results: OpResult[]): void {
    group.forEach((op, i) => {
      try {
        finishOp(op, results[i] ?? {});
      } finally {
        stats[S.processed]!++;
      }
    });
  }

  function finishOp(op: MirrorOp, result: OpResult): void {
    if (result.notMirrorable) {
      if (op.write) stats[S.notMirrorableWrites]!++;
      if (!reported.has(op.sql)) {
        reported.add(op.sql);
        stats[S.notMirrorable]!++;
        log.write(notMirrorable({ statement: op.sql, reasons: result.notMirrorable, stack: metaBySql.get(op.sql)?.stack ?? op.meta?.stack }));
      }
      return;
    }
    if (op.write && !logLoop) stats[S.mirroredWrites]!++; // with the log: counted when the position passes them
    learn(op, result);
    if (op.answer && result.answer) compare(op, op.answer, result.answer, result);
  }

  function compare(op: MirrorOp, primary: Answer, secondary: Answer, result: OpResult): void {
    const meta = metaBySql.get(op.sql) ?? op.meta;
    const ordered = result.ordered ?? meta?.ordered ?? false;
    const compared = compareOp(op.method, primary, secondary, ordered, DEFAULT_TIMESTAMP_TOLERANCE_MS + recentLag());
    stats[S.compared]!++;
    if (!compared.difference) {
      stats[S.matched]!++;
      return;
    }
    const slots = result.slots ?? meta?.slots;
    const tables = result.tables ?? meta?.tables;
    const columnNames = result.columnNames ?? meta?.columnNames;
    const exception = exceptions?.find(op, tables, primary);
    if (exception) stats[S.acknowledged]!++;
    else {
      stats[S.diverged]!++;
      const kind = DIFFERENCE_KINDS.indexOf(compared.difference.kind);
      if (kind >= 0) stats[S.byKind + kind]!++;
    }
    try {
      const record = statementDivergence({
        statement: op.sql,
        params: op.args,
        primary,
        secondary: compared.secondary,
        difference: compared.difference,
        primarySide: config.primarySide,
        secondarySide: config.secondarySide,
        ...(slots ? { slots } : {}),
        ...(meta?.stack ? { stack: meta.stack } : {}),
        secretsContext: { ...(tables ? { tables } : {}), ...(columnNames ? { columnNames } : {}), databaseUrl: config.databaseUrl },
      });
      log.write(exception ? acknowledged(record, exception) : record);
    } catch {
      stats[S.workerErrors]!++;
    }
  }

  /**
   * This thread writes the divergence log, so it keeps its own set of known secrets: every value it
   * sees written into or compared with a secret column (parameters, literals) and every value of a
   * secret result column in either answer, whether or not the answers differ. A secret changed
   * behind the adapter's back is learnt from the answer that carries it.
   */
  function learn(op: MirrorOp, result: OpResult): void {
    try {
      learnStatement(op.sql, op.args);
      if (!op.answer) return;
      const meta = metaBySql.get(op.sql) ?? op.meta;
      const tables = result.tables ?? meta?.tables;
      const columnNames = result.columnNames ?? meta?.columnNames;
      const context = { sql: op.sql, ...(tables ? { tables } : {}), ...(columnNames ? { columnNames } : {}) };
      learnAnswer(op.answer, context);
      if (result.answer) learnAnswer(result.answer, context);
    } catch {
      stats[S.workerErrors]!++;
    }
  }

  /** Counts a group that was not applied: its writes are a gap. Returns how many writes it held. */
  function count(group: MirrorOp[]): number {
    let writes = 0;
    for (const op of group) if (op.write) writes++;
    stats[S.processed] = stats[S.processed]! + group.length;
    stats[S.gaps] = stats[S.gaps]! + writes;
    return writes;
  }

  /** A group lost to an outage (its COMMIT was cut): reported with the outage when it ends. */
  function lose(group: MirrorOp[]): void {
    const writes = count(group);
    if (writes === 0) return;
    lostWrites += writes;
    lostSince ??= new Date(group[0]!.t);
  }

  function down(reason: unknown): void {
    if (downSince !== undefined) return;
    downSince = Date.now();
    stats[S.outages]!++;
    stats[S.down] = 1;
    log.write(mirrorOutage({ error: reason, databaseUrl: config.databaseUrl }));
  }

  function resumed(): void {
    if (downSince === undefined) return;
    log.write(mirrorResumed({ downMs: Date.now() - downSince }));
    downSince = undefined;
    stats[S.down] = 0;
    stats[S.reconnections]!++;
    if (lostWrites > 0) {
      log.write(mirrorGap({ cause: 'outage', droppedWrites: lostWrites, ...(lostSince ? { since: lostSince } : {}) }));
      lostWrites = 0;
      lostSince = undefined;
    }
  }

  /** Writes the caller dropped because the queue was full, as one gap record per second at most. */
  function reportOverflow(): void {
    const dropped = stats[S.overflowWrites]!;
    if (dropped > overflowReported) {
      log.write(mirrorGap({ cause: 'queue_overflow', droppedWrites: dropped - overflowReported }));
      overflowReported = dropped;
    }
  }

  /** Why the divergence log cannot be written now (its folder or its file), or null. */
  function logProblem(): string | null {
    const why = whyUnwritable(config.divergenceLog);
    if (why) return `${config.divergenceLog}: ${why}`;
    return null;
  }

  async function writeProgress(closed: boolean): Promise<void> {
    lastProgress = Date.now();
    await progress.write({
      enqueued: stats[S.enqueued]!,
      applied: stats[S.processed]!,
      lagMs: stats[S.lagMs]!,
      queueDepth: Math.max(0, stats[S.enqueued]! - stats[S.processed]!),
      gaps: stats[S.gaps]! + stats[S.overflowWrites]!,
      overflow: stats[S.overflowOps]!,
      outages: stats[S.outages]!,
      closed,
      logError: logProblem(),
    });
  }

  let closing = false;
  async function finishClose(): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(timer);
    metrics.flush(parentPort);
    const left = queue.slice(head);
    if (left.length > 0) {
      const writes = left.filter((op) => op.write).length;
      if (writes > 0) {
        stats[S.gaps] = stats[S.gaps]! + writes;
        log.write(mirrorGap({ cause: 'close_timeout', droppedWrites: writes, since: new Date(left[0]!.t) }));
      }
      stats[S.processed] = stats[S.processed]! + left.length;
    }
    if (lostWrites > 0) log.write(mirrorGap({ cause: 'outage', droppedWrites: lostWrites, ...(lostSince ? { since: lostSince } : {}) }));
    reportOverflow();
    if (downSince === undefined) await withTimeout(writeProgress(true), 1000);
    log.close();
    await withTimeout(applier.close(), 1000);
    if (progressPool !== (applier as { pool?: unknown }).pool) await withTimeout(progressPool.end(), 1000);
    // Done: the caller's thread may park this thread for its next shadow-mode database.
    Atomics.store(control, C_CLOSED, 1);
    Atomics.notify(control, C_CLOSED);
  }

  /**
   * A column DEFAULT CURRENT_TIMESTAMP is evaluated by each database when the write lands there, so
   * the two values differ by the mirror's lag at that moment: timestamps compare within 1 s plus the
   * largest lag of the last minute or two.
   */
  let lagWindow = { start: Date.now(), max: 0, previous: 0 };
  function noteLag(ms: number): void {
    if (Date.now() - lagWindow.start > 60_000) lagWindow = { start: Date.now(), max: 0, previous: lagWindow.max };
    if (ms > lagWindow.max) lagWindow.max = ms;
  }
  function recentLag(): number {
    return Math.max(lagWindow.max, lagWindow.previous);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function withTimeout(promise: Promise<unknown>, ms: number): Promise<unknown> {
    return Promise.race([promise.catch(() => undefined), sleep(ms)]);
  }

  return { control, stats, onMessage };
}

let current = runMirror(workerData as MirrorConfig);

// A promise of an earlier database's mirror failing late (this thread is reused) must not end the
// thread under the current one: it is counted as a worker error instead.
process.on('unhandledRejection', () => {
  current.stats[S.workerErrors]!++;
});

process.on('exit', () => {
  Atomics.store(current.control, C_EXITED, 1);
  Atomics.notify(current.control, C_CLOSED);
});

parentPort!.on('message', (message: ToMirror) => {
  if (message.type === 'start') current = runMirror(message.config);
  else current.onMessage(message);
});
