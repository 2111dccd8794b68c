/**
 * State shared by a shadow backend and its statements on the caller's thread: the statement's
 * 'now', the open transaction's buffer, the read sample, and the SQLite-only names the
 * application registered (statements using them cannot be mirrored).
 *
 * With the change log (SQLite primary on a file), a committed transaction's writes are appended to
 * the log inside that transaction, just before its COMMIT, and an autocommit write is wrapped in a
 * transaction of its own (BEGIN IMMEDIATE; the statement; the log row; COMMIT). Only the sampled
 * reads still cross to the mirror worker, each with the log positions its snapshot lies between.
 */
import type { TransactionOp } from '../../translator';
import type { LogCapture } from './change-capture';
import type { MirrorChannel } from './mirror-channel';
import { type MirrorOp, sqliteNowText } from '../shared';
import { MirrorTransaction } from './mirror-transaction';

const BEGIN_IMMEDIATE: TransactionOp = { op: 'begin', mode: 'immediate' };
const COMMIT: TransactionOp = { op: 'commit' };

/** Whether an op goes to the change log (a write, or a pragma that sets something). */
function logged(op: MirrorOp): boolean {
  return op.write || (op.method === 'pragma' && op.sql.includes('='));
}

export class ShadowSession {
  /** The running statement's 'now': ISO-8601 for PostgreSQL, SQLite's text for `sra_now()`. */
  now = '';
  nowText = '';
  readonly tx: MirrorTransaction;
  /** Functions, aggregates and virtual tables registered with db.function/aggregate/table (lower case). */
  readonly appNames = new Map<string, string>();
  namesVersion = 0;
  /** The log row already written for the open transaction (a COMMIT that failed and may be retried). */
  #recorded: number | undefined;
  /** The log row of the transaction being committed, while its ops leave. */
  #committingSeq: number | undefined;
  /** The log position when the open transaction began, and before the running read. */
  #txStart = 0;
  #readFrom = 0;
  /**
   * Reads sent with a provisional upper bound (their lower one): settled when the channel posts
   * them, by one look at whether another connection committed meanwhile.
   */
  #unsettled: MirrorOp[] = [];

  constructor(
    readonly channel: MirrorChannel,
    readonly sample: number,
    private readonly primaryInTransaction: () => boolean,
    readonly capture?: LogCapture,
  ) {
    this.tx = new MirrorTransaction((ops) => (capture ? this.#committedToLog(ops) : channel.pushUnit(ops)));
    if (capture) channel.beforePost = () => this.#settle();
  }

  /** Whether this read is compared (REGISTRY_SHADOW_SAMPLE). */
  sampled(): boolean {
    const sample = this.sample;
    return sample >= 1 || (sample > 0 && Math.random() < sample);
  }

  stampNow(): void {
    const iso = new Date().toISOString();
    this.now = iso;
    this.nowText = sqliteNowText(iso);
  }

  /**
   * Before a compared read runs on the primary: the log position its snapshot is at least at (the
   * position last known will do: it only grows). Its upper bound is settled later (#settle).
   */
  markRead(): void {
    if (this.capture && !this.tx.active) this.#readFrom = this.capture.known;
  }

  mirror(op: MirrorOp): void {
    if (this.tx.active) return this.tx.add(op);
    const capture = this.capture;
    if (!capture) return this.channel.push(op);
    if (logged(op)) return this.#logAlone(op);
    if (!op.answer) return; // a pragma that reads: nothing to apply or compare
    op.pos = [this.#readFrom, this.#readFrom];
    this.#unsettled.push(op);
    this.channel.push(op);
  }

  /** Runs a transaction statement on the primary, then follows it. */
  control<T>(op: TransactionOp, run: () => T): T {
    const capture = this.capture;
    let seq: number | undefined;
    if (capture) {
      const ops = this.tx.committing(op);
      const writes = ops?.filter(logged);
      if (writes && writes.length > 0) this.#recorded = seq = capture.record(writes, this.#recorded);
    }
    let result: T;
    try {
      result = run();
    } catch (error) {
      this.sync();
      throw error;
    }
    const starts = !this.tx.active && (op.op === 'begin' || op.op === 'savepoint');
    if (seq !== undefined && capture!.afterCommit) seq = capture!.afterCommit();
    if (seq !== undefined) capture!.committed(seq);
    this.#committingSeq = seq;
    try {
      this.tx.apply(op);
    } finally {
      this.#committingSeq = undefined;
    }
    if (starts && capture) {
      this.#recorded = undefined;
      this.#txStart = capture.known;
    }
    this.sync();
    return result;
  }

  /**
   * Runs an autocommit write (the change log on): in a transaction of its own, so that its log row
   * commits with it. Inside the caller's transaction, or without the log, it just runs.
   */
  autocommit<T>(run: () => T): T {
    const capture = this.capture;
    if (!capture || this.tx.active || this.primaryInTransaction()) return run();
    this.control(BEGIN_IMMEDIATE, () => capture.begin());
    let result: T;
    try {
      result = run();
    } catch (error) {
      try {
        this.#endAutocommit();
      } catch {
        // The statement's own error is the answer (ending its transaction rolled it back).
      }
      throw error;
    }
    this.#endAutocommit();
    return result;
  }

  #endAutocommit(): void {
    if (!this.tx.active) return; // SQLite ended it (an error that rolls back): the op was logged alone
    const capture = this.capture!;
    try {
      this.control(COMMIT, () => capture.commit());
    } catch (error) {
      capture.rollback();
      this.tx.abandon();
      throw error;
    }
  }

  /** The primary's transaction ended by itself (SQLite rolls back on some errors): drop its ops. */
  sync(): void {
    if (this.tx.active && !this.primaryInTransaction()) {
      this.tx.abandon();
      this.#recorded = undefined;
    }
  }

  /**
   * Just before reads leave for the worker: when no other connection committed since the last
   * look, each read's snapshot was at its lower bound (this connection's own commits are known at
   * once); else its upper bound is the log's end now.
   */
  #settle(): void {
    const reads = this.#unsettled;
    if (reads.length === 0) return;
    this.#unsettled = [];
    const capture = this.capture!;
    let end: number;
    try {
      if (!capture.refresh()) return;
      end = capture.known;
      for (const op of reads) if (op.pos![0] > end) end = op.pos![0];
    } catch {
      end = Number.MAX_SAFE_INTEGER; // cannot tell: never compared
    }
    for (const op of reads) op.pos![1] = end;
  }

  registerName(member: string, name: unknown): void {
    if (typeof name !== 'string') return;
    this.appNames.set(name.toLowerCase(), `db.${member}("${name}")`);
    this.namesVersion++;
  }

  /**
   * A committed transaction, the change log on: its writes are in the log (row #committingSeq);
   * its reads go to the worker. A read followed by a write of the same transaction saw the state
   * before that row, a read after the last write the state at it; a read-only transaction's
   * reads saw one snapshot between its start and its end.
   */
  #committedToLog(ops: MirrorOp[]): void {
    const seq = this.#committingSeq;
    this.#recorded = undefined;
    const reads: MirrorOp[] = [];
    let writes = 0;
    let count = 0;
    let writeAfter = false;
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i]!;
      if (logged(op)) {
        count++;
        if (op.write) writes++;
        writeAfter = true;
      } else if (op.answer) {
        if (seq === undefined) {
          op.pos = [this.#txStart, this.#txStart];
          this.#unsettled.push(op);
        } else op.pos = [writeAfter ? seq - 1 : seq, seq];
        reads.push(op);
      }
    }
    if (seq !== undefined) this.channel.logged(seq, count, writes);
    if (reads.length > 0) this.channel.pushUnit(reads.reverse());
  }

  /** A write outside any transaction the log could join (iterate() of a RETURNING write, a pragma, VACUUM): its own row. */
  #logAlone(op: MirrorOp): void {
    const capture = this.capture!;
    if (capture.inTransaction) {
      this.channel.lost(op);
      return;
    }
    try {
      capture.begin();
      let seq = capture.record([op]);
      capture.commit();
      if (capture.afterCommit) seq = capture.afterCommit();
      capture.committed(seq);
      this.channel.logged(seq, 1, op.write ? 1 : 0);
    } catch {
      capture.rollback();
      this.channel.lost(op);
    }
  }
}
