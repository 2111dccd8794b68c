/**
 * State shared by a shadow backend and its statements on the caller's thread: the statement's
 * 'now', the open transaction's buffer, the read sample, and the SQLite-only names the
 * application registered (statements using them cannot be mirrored).
 */
import type { TransactionOp } from '../../translator';
import type { MirrorChannel } from './mirror-channel';
import { type MirrorOp, sqliteNowText } from '../shared';
import { MirrorTransaction } from './mirror-transaction';

export class ShadowSession {
  /** The running statement's 'now': ISO-8601 for PostgreSQL, SQLite's text for `sra_now()`. */
  now = '';
  nowText = '';
  readonly tx: MirrorTransaction;
  /** Functions, aggregates and virtual tables registered with db.function/aggregate/table (lower case). */
  readonly appNames = new Map<string, string>();
  namesVersion = 0;

  constructor(
    readonly channel: MirrorChannel,
    readonly sample: number,
    private readonly primaryInTransaction: () => boolean,
  ) {
    this.tx = new MirrorTransaction((ops) => channel.pushUnit(ops));
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

  mirror(op: MirrorOp): void {
    if (this.tx.active) this.tx.add(op);
    else this.channel.push(op);
  }

  /** Runs a transaction statement on the primary, then follows it. */
  control<T>(op: TransactionOp, run: () => T): T {
    const result = run();
    this.tx.apply(op);
    this.sync();
    return result;
  }

  /** The primary's transaction ended by itself (SQLite rolls back on some errors): drop its ops. */
  sync(): void {
    if (this.tx.active && !this.primaryInTransaction()) this.tx.abandon();
  }

  registerName(member: string, name: unknown): void {
    if (typeof name !== 'string') return;
    this.appNames.set(name.toLowerCase(), `db.${member}("${name}")`);
    this.namesVersion++;
  }
}
