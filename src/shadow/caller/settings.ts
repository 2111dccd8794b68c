/**
 * Shadow mode's own knobs, beyond the adapter's own (config.ts; all listed in docs/runbook.md, Configuration): each an environment variable, overridable by a
 * constructor option, checked like the others (a bad value names the variable and what is allowed).
 */
import { ConfigurationError } from '../../adapter';

export interface ShadowSettings {
  /** Ops the mirror may be behind before new ones are dropped (and reported as a gap). */
  queueSize: number;
  /** How long close() waits for the mirror to drain. */
  closeTimeoutMs: number;
  /** Ops the mirror applies in one secondary transaction at most. */
  groupSize: number;
  /** Test seam: a module wrapping the mirror's applier inside the worker. */
  applierWrapper?: string;
}

export interface ShadowOptions {
  shadowQueueSize?: number;
  shadowCloseTimeoutMs?: number;
  shadowGroupSize?: number;
  shadowApplierWrapper?: string;
}

const KNOBS = [
  ['shadowQueueSize', 'REGISTRY_SHADOW_QUEUE_SIZE', 20_000, 1],
  ['shadowCloseTimeoutMs', 'REGISTRY_SHADOW_CLOSE_TIMEOUT_MS', 5000, 0],
  ['shadowGroupSize', 'REGISTRY_SHADOW_GROUP_SIZE', 1000, 1],
] as const;

export function shadowSettings(options: ShadowOptions, env: Record<string, string | undefined> = process.env): ShadowSettings {
  const values = KNOBS.map(([option, variable, fallback, min]) => {
    const given = options[option];
    const raw: unknown = given !== undefined ? given : env[variable];
    if (raw === undefined || raw === '') return fallback;
    const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < min) {
      const label = given !== undefined ? `option "${option}"` : variable;
      throw new ConfigurationError(`${label}=${JSON.stringify(raw)} is not valid: use a whole number of at least ${min}.`, label);
    }
    return n;
  });
  const settings: ShadowSettings = { queueSize: values[0]!, closeTimeoutMs: values[1]!, groupSize: values[2]! };
  if (typeof options.shadowApplierWrapper === 'string') settings.applierWrapper = options.shadowApplierWrapper;
  return settings;
}
