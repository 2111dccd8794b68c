/**
 * The workload in one mode of the facade: `new Database(file, { backend, primary, databaseUrl })`,
 * exactly as the engine opens its registry with REGISTRY_BACKEND and REGISTRY_PRIMARY set.
 */
import type { Database as DatabaseInstance } from '../adapter/api';
import { Database } from '../adapter/database';
import type { BackendName, PrimaryName } from '../adapter';
import { runEngineWorkload, type WorkloadOptions, type WorkloadResult } from './workload';

export interface ModeRun {
  backend: BackendName;
  primary?: PrimaryName;
  /** Null when the mode is not available in this build (shadow mode, before it lands). */
  result: WorkloadResult | null;
  /** Why the mode was skipped, or the error that stopped it. */
  note?: string;
  /** Shadow mode's counters once the mirror has drained (db.shadowStats() at close). */
  shadow?: ShadowCounts;
}

export interface ShadowCounts {
  compared: number;
  matched: number;
  diverged: number;
  mirrored: number;
}

export interface ModeOptions extends WorkloadOptions {
  file: string;
  databaseUrl: string;
  backend: BackendName;
  primary?: PrimaryName;
  /** REGISTRY_DIVERGENCE_LOG for this instance (default: from the environment). */
  divergenceLog?: string;
}

/** The adapter's words for a mode this build does not have yet (src/adapter/open.ts). */
const NOT_AVAILABLE = /is not available in this build/;

export function runInMode(options: ModeOptions, then?: (db: DatabaseInstance) => void): ModeRun {
  const { file, databaseUrl, backend, primary, divergenceLog } = options;
  let db: DatabaseInstance;
  try {
    db = new Database(file, { backend, ...(primary ? { primary } : {}), ...(backend === 'sqlite' ? {} : { databaseUrl }), ...(divergenceLog ? { divergenceLog } : {}) });
  } catch (error) {
    const message = (error as Error).message;
    if (NOT_AVAILABLE.test(message)) return { backend, ...(primary ? { primary } : {}), result: null, note: message };
    throw error;
  }
  let result: WorkloadResult;
  try {
    result = runEngineWorkload(db, options);
    then?.(db);
  } finally {
    db.close(); // in shadow mode, close() drains the mirror's queue
  }
  const run: ModeRun = { backend, ...(primary ? { primary } : {}), result };
  if (backend === 'shadow') {
    const stats = db.shadowStats() as ShadowCounts;
    run.shadow = { compared: stats.compared, matched: stats.matched, diverged: stats.diverged, mirrored: stats.mirrored };
  }
  return run;
}
