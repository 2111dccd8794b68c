/**
 * The mirror worker's loop with the change log on (docs/shadow-mode.md, The change log), one per
 * shadow process, over either primary (changelog-ends.ts: where the log and the position are):
 * - the applier: whoever holds the lease (changelog-lease.ts) tails the log in `seq` order and
 *   applies logged transactions in groups, each group one secondary transaction that also moves
 *   the position (shared/changelog-tables.ts) from where it was to the group's last `seq`; then
 *   it prunes the log behind the position and beats its heartbeat. The others stand by.
 * - this process's sampled reads: each carries the log positions its snapshot lies between
 *   (lo..hi). It runs on the secondary inside one snapshot together with the position P read
 *   there, once P >= hi, and is compared when P = lo, or when no logged transaction in (lo, P]
 *   touched its tables; else it is counted inconclusive (never a false divergence). The applier
 *   of this process never applies past a waiting read's hi, and first waits (bounded) for the
 *   reads the caller's thread has counted but not yet sent: a read that follows the process's own
 *   writes (lo = hi = its last commit) is compared at exactly that position.
 * - this process's own logged transactions are counted done (shadowStats) once the position
 *   passes them, whoever applied them.
 */
import os from 'node:os';
import { loadBetterSqlite3 } from '../../adapter';
import { settle, type ConnectionPool } from '../../backends/postgres/core';
import {
  C_NATIVE, C_READS_RECEIVED, C_READS_SENT, C_STOP, decodeOps, leaseKey, type MirrorConfig, type MirrorOp,
  positionSql, referencedNames, S,
} from '../shared';
import { CommitUnknown, SecondaryDown, type Applier, type GroupFrame, type OpResult } from './applier';
import { ApplierLease } from './changelog-lease';
import { PgLogEnds, SqliteLogEnds, type LogEnds, type LogRow } from './changelog-ends';

/** How long a read may wait for the applied position to reach it. */
const READ_WAIT_MS = 10_000;
/** Applied log rows are kept this long (reads of other processes look at what lies between). */
const RETAIN_MS = 10_000;
const PRUNE_BATCH = 5000;
const LEASE_POLL_MS = 500;
const POSITION_POLL_MS = 50;
/** Polls of an idle log: the first soon, then slower and slower (a message of this process wakes it at once). */
const IDLE_MIN_MS = 5;
const IDLE_MAX_MS = 200;
/** Log rows read at once at most. */
const ROWS = 500;
/** How long the applier waits for a read of this process that is on its way. */
const READ_ARRIVAL_MS = 1000;

interface NativeDb {
  prepare(sql: string): { all(...args: unknown[]): unknown[]; run(...args: unknown[]): { changes: number }; get(...args: unknown[]): unknown };
  pragma(sql: string, options?: object): unknown;
  close(): void;
}

export interface LogLoopHooks {
  /** Compares (and reports) one applied op, as the worker does for any op. */
  check(op: MirrorOp, result: OpResult): void;
  /** Records statement facts carried by a logged op (the caller's stack). */
  learn(op: MirrorOp): void;
  down(reason: unknown): void;
  resumed(): void;
  noteLag(ms: number): void;
  workerError(error: unknown): void;
  /** A group of `count` statements ran on the secondary in `ms` (the statement-time metric). */
  timed(count: number, ms: number): void;
  /** The log got its starting point (the backfill handed over): waited for before anything is applied or compared. */
  started?(): Promise<void>;
}

export class PositionMoved extends Error {
  override name = 'PositionMoved';
}

export class LogLoop {
  readonly #sql: ReturnType<typeof positionSql>;
  readonly #ends: LogEnds;
  readonly #lease: ApplierLease;
  readonly #stats: Float64Array;
  #db: NativeDb | undefined;
  #ready = false;
  /** The applied position as last read or written; -1: unknown; null: none yet (waiting for backfill). */
  #position: number | null = -1;
  #reads: MirrorOp[] = [];
  #readSince: number[] = [];
  /** This process's logged transactions not yet applied: [seq, ops, writes, ...]. */
  #own: number[] = [];
  #wake: (() => void) | undefined;
  #closeDeadline: number | undefined;
  #lastLeaseTry = 0;
  #lastPositionRead = 0;
  #lastPrune = 0;
  #lastBeat = 0;
  readonly #startedAt = new Date().toISOString();
  readonly #names = new Map<number, Set<string>>();
  readonly #sqlNames = new Map<string, Set<string>>();
  #backoff = 50;
  #idle = IDLE_MIN_MS;
  #failures = 0;
  #statements = new Map<string, ReturnType<NativeDb['prepare']>>();
  readonly #control: Int32Array;
  /** C_READS_SENT when the applier last stopped waiting for reads on their way. */
  #gaveUpAt = -1;
  /**
   * Log rows read after the position and not applied yet (committed rows never change): the next
   * steps apply them without reading them again. A waiting read stops a group at
   * its position, and with every read compared that is every few rows: reading ROWS rows again
   * for each such group cost the worker more than applying them.
   */
  #ahead: LogRow[] = [];
  /** The position #ahead[0] follows (-1: nothing read ahead). */
  #aheadFrom = -1;
  /** Whether the read that filled #ahead was full (more rows may wait behind it). */
  #aheadFull = false;

  constructor(
    private readonly config: MirrorConfig,
    private readonly applier: Applier,
    private readonly pool: ConnectionPool,
    stats: Float64Array,
    private readonly hooks: LogLoopHooks,
  ) {
    this.#sql = positionSql(config.pgSchema);
    const access = {
      query: (text: string, values: unknown[]) => this.#query(text, values),
      sqlite: <T>(work: (prepare: (sql: string) => ReturnType<NativeDb['prepare']>) => T): T => this.#sqlite(() => work((sql) => this.#prepare(sql))),
    };
    this.#ends = config.primarySide === 'postgres' ? new PgLogEnds(config.pgSchema, access) : new SqliteLogEnds(config.pgSchema, access);
    this.#lease = new ApplierLease(config.databaseUrl, leaseKey(config.pgSchema, this.#ends.source), config.pgTimeoutMs);
    this.#stats = stats;
    this.#control = new Int32Array(config.control);
  }

  add(reads: readonly MirrorOp[], logged: readonly number[] | undefined): void {
    const now = Date.now();
    let counted = 0;
    for (const op of reads) {
      if (!op.pos) {
        this.#stats[S.processed]!++; // nothing to compare it with
        continue;
      }
      this.#reads.push(op);
      this.#readSince.push(now);
      counted++;
    }
    if (counted > 0) Atomics.add(this.#control, C_READS_RECEIVED, counted);
    if (logged) for (const n of logged) this.#own.push(n);
    this.#idle = IDLE_MIN_MS;
    this.#wake?.();
  }

  close(deadline: number): void {
    this.#closeDeadline = deadline;
    this.#wake?.();
  }

  /** Runs until closed; resolves when this process's work is done (or the close deadline passed). */
  async run(): Promise<void> {
    for (;;) {
      const closing = this.#closeDeadline !== undefined;
      if (closing && ((this.#own.length === 0 && this.#reads.length === 0) || Date.now() > this.#closeDeadline!)) break;
      let busy = false;
      try {
        busy = await this.#step();
        if (this.#backoff > 50 || this.#failures >= 3) this.hooks.resumed();
        this.#backoff = 50;
        this.#failures = 0;
      } catch (error) {
        if (error instanceof PositionMoved) {
          this.#position = -1;
          continue;
        }
        if (error instanceof SecondaryDown || error instanceof CommitUnknown || isConnectionError(error)) {
          this.#position = -1;
          this.hooks.down(error instanceof SecondaryDown || error instanceof CommitUnknown ? error.reason : error);
          await this.#sleep(this.#backoff);
          this.#backoff = Math.min(this.#backoff * 2, 2000);
          continue;
        }
        this.#position = -1;
        if (isBusy(error)) {
          // The primary's file is locked by a writer (rollback journal): read it a moment later.
          await this.#sleep(5);
          continue;
        }
        this.hooks.workerError(error);
        // An error that persists stops the applier like an outage does: recorded, and shown by status.
        if (++this.#failures >= 3) this.hooks.down(error);
        await this.#sleep(Math.max(this.#backoff, 500));
        continue;
      }
      if (busy) this.#idle = IDLE_MIN_MS;
      else {
        await this.#sleep(this.#idle);
        this.#idle = Math.min(this.#idle * 2, IDLE_MAX_MS);
      }
    }
    await this.#lease.release();
    this.#stats[S.leader] = 0;
    this.#statements.clear();
    const db = this.#db;
    this.#db = undefined;
    if (db) this.#sqlite(() => db.close());
  }

  /** One round; true when it did something (run the next at once). */
  async #step(): Promise<boolean> {
    if (!this.#ready) await this.#setup();
    const now = Date.now();
    if (!this.#lease.held && now - this.#lastLeaseTry >= LEASE_POLL_MS) {
      this.#lastLeaseTry = now;
      if (await this.#lease.acquire()) this.#position = -1; // read it again as the holder
    }
    this.#stats[S.leader] = this.#lease.held ? 1 : 0;
    // A standby reads the position while it has reads waiting; the holder, until the backfill has set one.
    const due = now - this.#lastPositionRead >= POSITION_POLL_MS;
    if (this.#position === -1 || (due && (this.#lease.held ? this.#position === null : this.#own.length > 0 || this.#reads.length > 0))) {
      await this.#readPosition();
    }
    let busy = false;
    if (this.#lease.held && this.#position !== null) {
      busy = await this.#applyNext();
      await this.#maintain();
    }
    this.#credit();
    if (await this.#compareReads()) busy = true;
    return busy;
  }

  async #setup(): Promise<void> {
    const conn = await this.#acquire();
    try {
      // Two processes creating the tables at once: one of them loses the race, and tries again.
      for (let attempt = 0; ; attempt++) {
        const { error } = await settle(conn, { simple: this.#sql.create });
        if (!error) break;
        if (conn.broken || isConnectionError(error)) throw new SecondaryDown(error);
        if (attempt >= 5 || !/already exists|duplicate key/i.test(error.message)) throw error;
      }
    } finally {
      this.pool.release(conn);
    }
    const BetterSqlite3 = loadBetterSqlite3() as unknown as new (file: string, options?: object) => NativeDb;
    this.#db = this.#sqlite(() => new BetterSqlite3(this.config.sqliteFile, { timeout: 100 }));
    await this.#ends.setup();
    this.#ready = true;
  }

  async #acquire() {
    try {
      return await this.pool.acquire();
    } catch (error) {
      throw new SecondaryDown(error);
    }
  }

  async #query(text: string, values: unknown[]): Promise<Array<Array<string | null>>> {
    const conn = await this.#acquire();
    try {
      const { error, query } = await settle(conn, { steps: [{ text, values, target: true }] });
      if (error) {
        if (conn.broken || isConnectionError(error)) throw new SecondaryDown(error);
        throw error;
      }
      return query!.results[0]!.rows;
    } finally {
      this.pool.release(conn);
    }
  }

  async #readPosition(): Promise<void> {
    this.#lastPositionRead = Date.now();
    let position = await this.#ends.readPosition();
    // No position: `backfill` sets it when it has copied its snapshot; a log begun where both
    // databases were known to hold the same rows (its row 0) starts by itself, at its beginning.
    if (position === null && this.#lease.held && (await this.#ends.startByItself())) position = await this.#ends.readPosition();
    const before = this.#position;
    this.#position = position;
    if (this.#position !== null) this.#stats[S.appliedPosition] = this.#position;
    // What the backfill recorded before handing over (the rows it skipped) is read before the first comparison.
    if (before === null && this.#position !== null) await this.hooks.started?.();
  }

  /** Applies the next group of logged transactions (up to a waiting read's position). */
  async #applyNext(): Promise<boolean> {
    const from = this.#position as number;
    if (this.#aheadFrom !== from || this.#ahead.length === 0) {
      this.#aheadFrom = -1;
      this.#ahead = await this.#ends.rows(from, ROWS);
      this.#aheadFrom = from;
      this.#aheadFull = this.#ahead.length === ROWS;
    }
    let rows = this.#ahead;
    if (rows.length === 0) {
      this.#stats[S.lagMs] = 0;
      return false;
    }
    // A read of this process sampled before the last of these rows committed is counted by now
    // (the caller's thread counts it before its next statement): wait for it, and stop at the
    // position it saw, so that it is compared at exactly that state.
    await this.#readsArrived();
    // A waiting read the position has reached is compared first (#compareReads), at exactly it.
    let cap = Number.MAX_SAFE_INTEGER;
    for (const read of this.#reads) if (read.pos![1] < cap) cap = read.pos![1];
    if (cap <= from) return false;
    if (cap < rows[rows.length - 1]!.seq) rows = rows.filter((row) => row.seq <= cap);
    if (rows.length === 0) return false;
    const ops: MirrorOp[] = [];
    let last = from;
    let txns = 0;
    for (const row of rows) {
      if (ops.length > 0 && ops.length >= this.config.groupSize) break;
      const decoded = decodeOps(row.ops);
      const names = new Set<string>();
      for (const op of decoded) {
        this.hooks.learn(op);
        for (const name of this.#namesOf(op.sql)) names.add(name);
        ops.push(op);
      }
      this.#names.set(row.seq, names);
      last = row.seq;
      txns++;
    }
    const frame: GroupFrame = {
      last: {
        ...this.#ends.advance(last, txns, from),
        check: (count) => {
          if (count !== 1) throw new PositionMoved('the applied position moved: another applier is at work');
        },
      },
    };
    const started = performance.now();
    const results = await this.applier.applyGroup(ops, frame);
    if (ops.length > 0) this.hooks.timed(ops.length, performance.now() - started);
    this.#position = last;
    this.#ahead = this.#ahead.slice(txns);
    this.#aheadFrom = last;
    this.#stats[S.appliedPosition] = last;
    this.#stats[S.appliedTxns] = this.#stats[S.appliedTxns]! + txns;
    this.hooks.noteLag(Date.now() - rows[0]!.at);
    // The age of the oldest transaction still waiting: the next row read, or (all rows read applied,
    // and a full read: more may wait) at least the last one's.
    this.#stats[S.lagMs] = txns < rows.length ? Date.now() - rows[txns]!.at : this.#aheadFull ? Date.now() - rows[rows.length - 1]!.at : 0;
    ops.forEach((op, i) => this.hooks.check(op, results[i] ?? {}));
    return true;
  }

  /** Counts this process's logged transactions the position has passed. */
  #credit(): void {
    const position = this.#position;
    if (position === null || position < 0) return;
    const own = this.#own;
    let i = 0;
    let ops = 0;
    let writes = 0;
    while (i < own.length && own[i]! <= position) {
      ops += own[i + 1]!;
      writes += own[i + 2]!;
      i += 3;
    }
    if (i === 0) return;
    own.splice(0, i);
    const stats = this.#stats;
    stats[S.processed] = stats[S.processed]! + ops;
    stats[S.mirroredWrites] = stats[S.mirroredWrites]! + writes;
  }

  /** Runs the reads the applied position has reached, in one snapshot; gives up on those that waited too long. */
  async #compareReads(): Promise<boolean> {
    const reads = this.#reads;
    if (reads.length === 0) return false;
    const position = this.#position;
    const now = Date.now();
    let n = 0;
    if (position !== null && position >= 0) while (n < reads.length && n < this.config.groupSize && reads[n]!.pos![1] <= position) n++;
    if (n === 0) {
      // Not reached yet: the oldest gives up after a while (a read never blocks the others for long).
      const expired = now - this.#readSince[0]! > READ_WAIT_MS || (this.#closeDeadline !== undefined && now > this.#closeDeadline - 200) || position === null;
      if (!expired) return false;
      this.#done(1, true);
      return true;
    }
    const group = reads.slice(0, n);
    const frame: GroupFrame = { snapshot: true, first: this.#ends.readFrame() };
    const started = performance.now();
    const results = await this.applier.applyGroup(group, frame);
    this.hooks.timed(group.length, performance.now() - started);
    const at = frame.firstRows?.[0]?.[0];
    const seen = at === undefined || at === null ? -1 : Number(at);
    for (let i = 0; i < group.length; i++) {
      const op = group[i]!;
      const result = results[i] ?? {};
      if (await this.#conclusive(op.pos![0], seen, result.tables ?? op.meta?.tables)) this.hooks.check(op, result);
      else this.#stats[S.inconclusive]!++;
    }
    this.#done(n, false);
    return true;
  }

  #done(n: number, inconclusive: boolean): void {
    this.#reads.splice(0, n);
    this.#readSince.splice(0, n);
    const stats = this.#stats;
    stats[S.processed] = stats[S.processed]! + n;
    if (inconclusive) stats[S.inconclusive] = stats[S.inconclusive]! + n;
  }

  /** Whether no logged transaction in (lo, seen] touched `tables` (unknown: not conclusive). */
  async #conclusive(lo: number, seen: number, tables: readonly string[] | undefined): Promise<boolean> {
    if (seen < 0) return false;
    if (seen === lo) return true;
    if (seen < lo || seen - lo > ROWS) return false;
    if (!tables) return false;
    const wanted = tables.map((t) => t.toLowerCase());
    for (let seq = lo + 1; seq <= seen; seq++) {
      let names = this.#names.get(seq);
      if (!names) {
        const ops = await this.#ends.ops(seq);
        if (ops === undefined) return false; // pruned, or never there: cannot tell
        names = new Set<string>();
        for (const op of decodeOps(ops)) for (const name of this.#namesOf(op.sql)) names.add(name);
        this.#names.set(seq, names);
      }
      if (names.has('*')) return false;
      for (const table of wanted) if (names.has(table)) return false;
    }
    return true;
  }

  /**
   * Waits (at most READ_ARRIVAL_MS) until the reads the caller's thread has counted have arrived.
   * A caller that does not yield for longer (a long synchronous loop) is not waited for again
   * for the same reads: the applier goes on, and those reads are compared if nothing in between
   * touched their tables.
   */
  async #readsArrived(): Promise<void> {
    const control = this.#control;
    const sent = Atomics.load(control, C_READS_SENT);
    if (sent === Atomics.load(control, C_READS_RECEIVED) || sent === this.#gaveUpAt) return;
    const until = Date.now() + READ_ARRIVAL_MS;
    while (Atomics.load(control, C_READS_RECEIVED) !== sent) {
      if (Date.now() > until || this.#closeDeadline !== undefined) {
        this.#gaveUpAt = sent;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * Runs `work` (synchronous, in better-sqlite3) with C_NATIVE set, unless the caller's thread is
   * stopping this worker (C_STOP): a thread stopped inside SQLite can abort the process.
   */
  #sqlite<T>(work: () => T): T {
    const control = this.#control;
    Atomics.store(control, C_NATIVE, 1);
    try {
      if (Atomics.load(control, C_STOP) === 1) throw new SecondaryDown(new Error('the mirror is stopping'));
      return work();
    } finally {
      Atomics.store(control, C_NATIVE, 0);
      Atomics.notify(control, C_NATIVE);
    }
  }

  #prepare(sql: string): ReturnType<NativeDb['prepare']> {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#db!.prepare(sql)));
    return statement;
  }

  /** The names a statement mentions (lower case); '*' for DDL, which may touch anything. */
  #namesOf(sql: string): Set<string> {
    let names = this.#sqlNames.get(sql);
    if (!names) {
      names = /^\s*(CREATE|ALTER|DROP)\b/i.test(sql) ? new Set(['*']) : referencedNames(sql);
      if (this.#sqlNames.size > 10_000) this.#sqlNames.clear();
      this.#sqlNames.set(sql, names);
    }
    return names;
  }

  /** The applier's chores, at most once a second: prune the log behind the position, heartbeat. */
  async #maintain(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPrune >= 1000 && this.#position !== null && this.#position > 0) {
      this.#lastPrune = now;
      try {
        // The last row stays: a new row's seq is the largest plus one, never one used before.
        await this.#ends.prune(this.#position, now - RETAIN_MS, PRUNE_BATCH);
      } catch {
        // The primary is busy writing: prune next time.
      }
      const keep = this.#position - ROWS;
      for (const seq of this.#names.keys()) if (seq < keep) this.#names.delete(seq);
    }
    if (now - this.#lastBeat >= 1000) {
      this.#lastBeat = now;
      void this.#query(this.#sql.heartbeat, [this.#ends.source, this.config.mirrorId, os.hostname(), process.pid, this.#startedAt, this.#position]).catch(() => undefined);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && (code.startsWith('SQLITE_BUSY_') || code.startsWith('SQLITE_LOCKED_')));
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (/^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)/.test(code) || code.startsWith('08') || code === '57P01');
}
