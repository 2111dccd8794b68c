/**
 * Shadow mode, the entry the adapter loads: the backend around two backends, on the caller's
 * thread. The folders below say which thread runs what:
 * - caller/  the caller's thread: the backend, its statements, the primary, the mirror's channel;
 * - mirror/  the mirror worker thread (mirror/worker.ts, started by caller/mirror-channel.ts):
 *            the secondary's appliers, the comparator, the divergence log, the progress row;
 * - report/  the CLI (`report`, `status`): reads the divergence log and the mirror's lag;
 * - shared/  loaded by both threads: what crosses between them, the answers, secrets in answers.
 */
export { ShadowBackend } from './caller';
export type { ShadowStats } from './caller';
