/**
 * The mirror's progress in `"<schema>"._registry_mirror`, so `swarm-registry status` can show the
 * lag from outside the process: one row per mirror (process), written at most once a second and
 * at close. Failures are ignored: the row is a report, never a reason to stop mirroring.
 * Every LAG_SAMPLE_MS (and at close) the lag is also appended to `"<schema>"._registry_mirror_lag`,
 * the history `report --html` charts; samples older than LAG_KEEP_DAYS are deleted when a mirror starts.
 */
import os from 'node:os';
import { settle, type ConnectionPool } from '../../backends/postgres/core';
import { LAG_TABLE, MIRROR_TABLE, type MirrorConfig, type MirrorProgress } from '../shared';
import { quoteIdent } from '../../policy';

const LAG_SAMPLE_MS = 10_000;
const LAG_KEEP_DAYS = 14;

export type { MirrorProgress };

export class ProgressTable {
  readonly #startedAt = new Date().toISOString();
  readonly #table: string;
  readonly #lagTable: string;
  #lastSample = 0;
  #created = false;
  #busy = false;
  #inflight: Promise<void> = Promise.resolve();

  constructor(private readonly pool: ConnectionPool, private readonly config: MirrorConfig) {
    this.#table = `${quoteIdent(config.pgSchema)}.${MIRROR_TABLE}`;
    this.#lagTable = `${quoteIdent(config.pgSchema)}.${LAG_TABLE}`;
  }

  /**
   * Writes the row. A periodic write is skipped while one is in flight; the last one (at close)
   * waits for it, so the row always ends with `closed = true`.
   */
  async write(progress: MirrorProgress): Promise<void> {
    if (this.#busy) {
      if (!progress.closed) return;
      await this.#inflight;
    }
    this.#busy = true;
    let done!: () => void;
    this.#inflight = new Promise<void>((resolve) => (done = resolve));
    let conn;
    try {
      conn = await this.pool.acquire();
      if (!this.#created) {
        const ddl = `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.config.pgSchema)}; CREATE TABLE IF NOT EXISTS ${this.#table} (mirror_id text PRIMARY KEY, host text, pid integer, primary_side text, started_at timestamptz, updated_at timestamptz, enqueued bigint, applied bigint, lag_ms bigint, queue_depth integer, gaps bigint, overflow bigint, outages bigint, closed boolean);
          ALTER TABLE ${this.#table} ADD COLUMN IF NOT EXISTS log_error text;
          CREATE TABLE IF NOT EXISTS ${this.#lagTable} (mirror_id text NOT NULL, at timestamptz NOT NULL, lag_ms bigint, queue_depth integer, applied bigint, gaps bigint);
          CREATE INDEX IF NOT EXISTS ${LAG_TABLE}_at ON ${this.#lagTable} (at);
          DELETE FROM ${this.#lagTable} WHERE at < now() - interval '${LAG_KEEP_DAYS} days'`;
        const { error } = await settle(conn, { simple: ddl });
        if (error) throw error;
        this.#created = true;
      }
      const text = `INSERT INTO ${this.#table} (mirror_id, host, pid, primary_side, started_at, updated_at, enqueued, applied, lag_ms, queue_depth, gaps, overflow, outages, closed, log_error)
        VALUES ($1, $2, $3, $4, $5, now(), $6, $7, $8, $9, $10, $11, $12, $13, $14)
        ON CONFLICT (mirror_id) DO UPDATE SET updated_at = now(), enqueued = EXCLUDED.enqueued, applied = EXCLUDED.applied, lag_ms = EXCLUDED.lag_ms,
          queue_depth = EXCLUDED.queue_depth, gaps = EXCLUDED.gaps, overflow = EXCLUDED.overflow, outages = EXCLUDED.outages, closed = EXCLUDED.closed, log_error = EXCLUDED.log_error`;
      const p = progress;
      const values = [this.config.mirrorId, os.hostname(), process.pid, this.config.primarySide, this.#startedAt,
        Math.round(p.enqueued), Math.round(p.applied), Math.round(p.lagMs), Math.round(p.queueDepth), Math.round(p.gaps), Math.round(p.overflow), Math.round(p.outages), p.closed, p.logError];
      const steps = [{ text, values }];
      if (p.closed || Date.now() - this.#lastSample >= LAG_SAMPLE_MS) {
        this.#lastSample = Date.now();
        steps.push({
          text: `INSERT INTO ${this.#lagTable} (mirror_id, at, lag_ms, queue_depth, applied, gaps) VALUES ($1, now(), $2, $3, $4, $5)`,
          values: [this.config.mirrorId, Math.round(p.lagMs), Math.round(p.queueDepth), Math.round(p.applied), Math.round(p.gaps)],
        });
      }
      const { error } = await settle(conn, { steps });
      if (error) throw error;
    } catch {
      if (conn) conn.broken = conn.broken || false;
    } finally {
      if (conn) this.pool.release(conn);
      this.#busy = false;
      done();
    }
  }
}
