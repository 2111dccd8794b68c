/**
 * The shadow canary's figures as observable instruments, read from the mirror's shared counters
 * (stats.ts) when the SDK collects: nothing is recorded per statement for them. Registered per
 * shadow-mode database, removed when it closes.
 */
import type { BatchObservableCallback, Observable } from '@opentelemetry/api';
import { instruments, METRIC } from '../../metrics';
import { DIFFERENCE_KINDS } from '../shared';
import type { ShadowStats } from './stats';

/** Starts observing `read()`; returns the function that stops it. */
export function observeShadow(read: () => ShadowStats): () => void {
  const i = instruments();
  if (!i) return () => undefined;
  const m = i.meter;
  const compared = m.createObservableCounter(METRIC.compared, { description: 'Answers of the primary compared with the secondary' });
  const divergences = m.createObservableCounter(METRIC.divergences, { description: 'Compared answers that differed, by kind' });
  const lagOps = m.createObservableGauge(METRIC.lagOps, { description: 'Ops (statements, or a committed transaction\'s statements) handed to the mirror and not yet applied' });
  const lagSeconds = m.createObservableGauge(METRIC.lagSeconds, { description: 'How late the mirror applied the last op it finished (0 when idle)', unit: 's' });
  const depth = m.createObservableGauge(METRIC.queueDepth, { description: 'Ops waiting in the mirror\'s bounded queue (REGISTRY_SHADOW_QUEUE is its size)' });
  const gaps = m.createObservableCounter(METRIC.gaps, { description: 'Writes the secondary never received (queue overflow, outage, close timeout): run swarm-registry verify' });
  const observables: Observable[] = [compared, divergences, lagOps, lagSeconds, depth, gaps];
  const callback: BatchObservableCallback = (result) => {
    const s = read();
    const sides = { primary: s.primary, secondary: s.secondary };
    result.observe(compared, s.compared, sides);
    for (const kind of DIFFERENCE_KINDS) result.observe(divergences, s.divergedByKind[kind] ?? 0, { ...sides, kind });
    result.observe(lagOps, s.lagOps, sides);
    result.observe(lagSeconds, s.lagMs / 1000, sides);
    result.observe(depth, s.queueDepth, sides);
    result.observe(gaps, s.gaps, sides);
  };
  m.addBatchObservableCallback(callback, observables);
  return () => m.removeBatchObservableCallback(callback, observables);
}
