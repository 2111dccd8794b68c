/**
 * The divergence log (docs/shadow-mode.md, The divergence log): append-only JSON lines at REGISTRY_DIVERGENCE_LOG, rate-limited
 * per fingerprint, rotated by size. `write` only formats the line and queues it: the file is
 * written in batches on a timer (or when the queue is long, or on `flush`/`close`), so the
 * caller's statement is never held up by the disk. Nothing here throws into the caller: a failed
 * write is counted (`stats().ioFailures`), which is what shadow mode must do with a broken disk.
 * Plain synchronous fs under the hood, so it works the same in a worker thread.
 */
import fs from 'node:fs';
import { redactSecrets } from '../../adapter';
import { redactTree } from '../../policy';
import type { DivergenceRecord, LogSummaryRecord } from './divergence';
import { safeStringify } from './json-value';
import { rotateIfFull } from '../shared';
import { FingerprintRateLimiter } from './rate-limit';

export interface DivergenceLogOptions {
  /** Lines written per fingerprint per window (default 10). */
  maxLinesPerFingerprint?: number;
  /** The rate limit's window (default 60 000 ms). */
  windowMs?: number;
  /** Rotate when the file would grow past this (default 10 MiB). */
  maxBytes?: number;
  /** Rotated files kept beside the log: `.1` (newest) to `.keepFiles` (default 3). */
  keepFiles?: number;
  /** Longest a line waits in memory before it is written (default 1000 ms). */
  flushIntervalMs?: number;
  /** Queue length that makes `write` flush at once (default 500). */
  maxQueuedLines?: number;
  /** DATABASE_URL: its password is removed from every line. */
  databaseUrl?: string | null;
  /** Milliseconds now (tests). */
  clock?: () => number;
}

export interface DivergenceLogStats {
  /** Lines on disk (summary included). */
  written: number;
  /** Records left out by the rate limit. */
  suppressed: number;
  /** Lines lost to a failed write (disk full, no permission, missing directory...). */
  ioFailures: number;
  /** The last write failure, as one sentence (no password). */
  lastError?: string;
  rotations: number;
}

const openLogs = new Set<DivergenceLog>();
let exitHookInstalled = false;

export class DivergenceLog {
  private readonly limiter: FingerprintRateLimiter;
  private readonly options: Required<Omit<DivergenceLogOptions, 'databaseUrl'>> & { databaseUrl: string | null };
  private queue: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters: DivergenceLogStats = { written: 0, suppressed: 0, ioFailures: 0, rotations: 0 };

  constructor(readonly path: string, options: DivergenceLogOptions = {}) {
    this.options = {
      maxLinesPerFingerprint: options.maxLinesPerFingerprint ?? 10,
      windowMs: options.windowMs ?? 60_000,
      maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
      keepFiles: options.keepFiles ?? 3,
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      maxQueuedLines: options.maxQueuedLines ?? 500,
      databaseUrl: options.databaseUrl ?? null,
      clock: options.clock ?? Date.now,
    };
    this.limiter = new FingerprintRateLimiter(this.options.maxLinesPerFingerprint, this.options.windowMs);
    openLogs.add(this);
    installExitHook();
  }

  /** Queues one record. False when the rate limit left it out or the log is closed. Never throws. */
  write(record: DivergenceRecord): boolean {
    if (this.closed) return false;
    try {
      const admission = this.limiter.admit(record.fingerprint, this.options.clock());
      if (!admission.admitted) {
        this.counters.suppressed++;
        return false;
      }
      const line = admission.suppressedBefore > 0 ? { ...record, suppressed: admission.suppressedBefore } : record;
      this.enqueue(line);
      return true;
    } catch (error) {
      this.failed(1, error);
      return false;
    }
  }

  /** Writes every queued line now. Never throws. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const lines = this.queue;
    this.queue = [];
    const text = lines.join('');
    try {
      if (rotateIfFull(this.path, Buffer.byteLength(text), this.options.maxBytes, this.options.keepFiles)) this.counters.rotations++;
      fs.appendFileSync(this.path, text);
      this.counters.written += lines.length;
    } catch (error) {
      this.failed(lines.length, error);
    }
  }

  /** Writes what is queued and a summary of what the rate limit left out; later writes are ignored. */
  close(): void {
    if (this.closed) return;
    const pending = this.limiter.takePending();
    const suppressedTotal = Object.values(pending).reduce((sum, n) => sum + n, 0);
    if (suppressedTotal > 0 || this.counters.ioFailures > 0) {
      const summary: LogSummaryRecord = {
        time: new Date(this.options.clock()).toISOString(),
        kind: 'log_summary',
        fingerprint: 'log_summary',
        suppressedByFingerprint: pending,
        suppressedTotal,
        written: this.counters.written + this.queue.length,
        ioFailures: this.counters.ioFailures,
      };
      this.enqueue(summary);
    }
    this.closed = true;
    this.flush();
    openLogs.delete(this);
  }

  stats(): DivergenceLogStats {
    return { ...this.counters };
  }

  private enqueue(record: DivergenceRecord): void {
    // Each record is built redacted; this last pass hides any secret value the process has learnt since.
    const clean = redactTree(record, { databaseUrl: this.options.databaseUrl ?? null });
    this.queue.push(redactSecrets(safeStringify(clean), this.options.databaseUrl) + '\n');
    if (this.queue.length >= this.options.maxQueuedLines) this.flush();
    else if (!this.timer && !this.closed) {
      this.timer = setTimeout(() => this.flush(), this.options.flushIntervalMs);
      this.timer.unref(); // a pending flush never keeps a finished process alive; the exit hook writes it
    }
  }

  private failed(lines: number, error: unknown): void {
    this.counters.ioFailures += lines;
    const reason = error instanceof Error ? error.message : String(error);
    this.counters.lastError = redactSecrets(`Could not write the divergence log ${this.path}: ${reason}. Check that its directory exists and is writable, or set REGISTRY_DIVERGENCE_LOG.`, this.options.databaseUrl);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const log of openLogs) log.flush();
  });
}
