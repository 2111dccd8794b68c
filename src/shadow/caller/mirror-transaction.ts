/**
 * The caller's open transaction, as the mirror sees it: its ops wait here and go to the secondary
 * as one unit when it commits, never when it rolls back. Savepoints mark positions in the buffer:
 * ROLLBACK TO drops what followed the mark, RELEASE forgets the mark, and the RELEASE of a
 * savepoint that began the transaction commits it (SQLite's rules).
 */
import type { TransactionOp } from '../../translator';
import type { MirrorOp } from '../shared';

interface Mark {
  name: string;
  index: number;
}

export class MirrorTransaction {
  active = false;
  #ops: MirrorOp[] = [];
  #marks: Mark[] = [];
  #startedBySavepoint = false;

  constructor(private readonly commit: (ops: MirrorOp[]) => void) {}

  add(op: MirrorOp): void {
    this.#ops.push(op);
  }

  /** Follows a transaction statement the primary has just run successfully. */
  apply(op: TransactionOp): void {
    switch (op.op) {
      case 'begin':
        this.#start(false);
        return;
      case 'commit':
        this.#commit();
        return;
      case 'rollback':
        this.abandon();
        return;
      case 'savepoint':
        if (!this.active) this.#start(true);
        this.#marks.push({ name: op.name, index: this.#ops.length });
        return;
      case 'release': {
        const i = this.#find(op.name);
        if (i < 0) return;
        this.#marks.length = i;
        if (i === 0 && this.#startedBySavepoint) this.#commit();
        return;
      }
      case 'rollback_to': {
        const i = this.#find(op.name);
        if (i < 0) return;
        this.#ops.length = this.#marks[i]!.index;
        this.#marks.length = i + 1;
        return;
      }
    }
  }

  /** The ops `op` would commit when the primary runs it, or undefined when it would not commit. */
  committing(op: TransactionOp): readonly MirrorOp[] | undefined {
    if (!this.active) return undefined;
    if (op.op === 'commit') return this.#ops;
    if (op.op === 'release' && this.#startedBySavepoint && this.#find(op.name) === 0) return this.#ops;
    return undefined;
  }

  /** The primary's transaction ended without a COMMIT (rolled back, or closed): nothing is mirrored. */
  abandon(): void {
    this.active = false;
    this.#ops = [];
    this.#marks = [];
  }

  #start(bySavepoint: boolean): void {
    this.active = true;
    this.#startedBySavepoint = bySavepoint;
    this.#ops = [];
    this.#marks = [];
  }

  #commit(): void {
    const ops = this.#ops;
    this.abandon();
    this.commit(ops);
  }

  #find(name: string): number {
    const wanted = name.toLowerCase();
    for (let i = this.#marks.length - 1; i >= 0; i--) if (this.#marks[i]!.name.toLowerCase() === wanted) return i;
    return -1;
  }
}
