/**
 * At most `limit` lines per fingerprint per window: one statement that diverges on every call
 * must not flood the log. What is left out is counted and handed to the next line
 * written for that fingerprint, or to the log's summary at close.
 */
interface Window {
  start: number;
  written: number;
  /** Left out since the last line written for this fingerprint. */
  pending: number;
}

export type Admission = { admitted: true; suppressedBefore: number } | { admitted: false };

const PRUNE_AT = 10_000;

export class FingerprintRateLimiter {
  private readonly windows = new Map<string, Window>();
  private suppressedTotal = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  admit(fingerprint: string, now: number): Admission {
    let window = this.windows.get(fingerprint);
    if (!window) {
      if (this.windows.size >= PRUNE_AT) this.prune(now);
      window = { start: now, written: 0, pending: 0 };
      this.windows.set(fingerprint, window);
    } else if (now - window.start >= this.windowMs) {
      window.start = now;
      window.written = 0;
    }
    if (window.written >= this.limit) {
      window.pending++;
      this.suppressedTotal++;
      return { admitted: false };
    }
    window.written++;
    const suppressedBefore = window.pending;
    window.pending = 0;
    return { admitted: true, suppressedBefore };
  }

  /** Lines left out and not yet reported on a later line, per fingerprint; clears them. */
  takePending(): Record<string, number> {
    const pending: Record<string, number> = {};
    for (const [fingerprint, window] of this.windows) {
      if (window.pending > 0) pending[fingerprint] = window.pending;
      window.pending = 0;
    }
    return pending;
  }

  get suppressed(): number {
    return this.suppressedTotal;
  }

  private prune(now: number): void {
    for (const [fingerprint, window] of this.windows) {
      if (window.pending === 0 && now - window.start >= this.windowMs) this.windows.delete(fingerprint);
    }
  }
}
