/** The main thread's handle on the snapshot worker: one request at a time per call, answered in order. */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openRegistryFile } from '../core';
import { MigrationError } from '../results';
import { SNAPSHOT_CACHE_KIB, type WorkerReply, type WorkerRequest } from './protocol';

type Reply<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

export class SnapshotReader {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;

  constructor() {
    this.worker = new Worker(path.join(__dirname, 'worker.js'));
    this.worker.on('message', (reply: WorkerReply) => this.waiting.shift()?.resolve(reply));
    const fail = (error: Error): void => {
      this.failure = error;
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the SQLite reader thread stopped (exit code ${code})`)));
  }

  /** Sends a request; the reply of the expected type, or the worker's error rethrown. */
  async request<T extends WorkerReply['type']>(request: WorkerRequest, expected: T, transfer: ArrayBuffer[] = []): Promise<Reply<T>> {
    if (this.failure) throw this.failure;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(request, transfer);
    });
    if (reply.type === 'error') {
      if (reply.migration) throw new MigrationError(reply.message);
      throw Object.assign(new Error(reply.message), { code: reply.code });
    }
    if (reply.type !== expected) throw new Error(`snapshot worker answered ${reply.type} to ${request.type}`);
    return reply as Reply<T>;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.request({ type: 'close' }, 'closed').catch(() => undefined);
    this.failure ??= new Error('closed');
    await this.worker.terminate();
  }
}

/**
 * A second reader thread whose snapshot is `reader`'s, or undefined (then `reader` works alone).
 * SQLite cannot hand a snapshot to another connection, so both begin theirs between two readings of
 * PRAGMA data_version on a third connection: unchanged, no write was committed between, and both
 * see the same state. The first reader's snapshot is taken again for that, so it must not have
 * read anything its caller uses yet; `logPosition` is the change log's position of the new one.
 */
export async function openSecondReader(registryDb: string, reader: SnapshotReader): Promise<{ helper: SnapshotReader; logPosition: number | null } | undefined> {
  const helper = new SnapshotReader();
  const probe = openRegistryFile(registryDb);
  try {
    await helper.request({ type: 'open', registryDb, cacheKib: SNAPSHOT_CACHE_KIB }, 'opened');
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = probe.pragma('data_version', { simple: true });
      const [restarted] = await Promise.all([reader.request({ type: 'snapshot-restart' }, 'snapshot-restarted'), helper.request({ type: 'snapshot-restart' }, 'snapshot-restarted')]);
      if (probe.pragma('data_version', { simple: true }) === before) return { helper, logPosition: restarted.logPosition };
    }
  } catch {
    // One reader does the work alone.
  } finally {
    probe.close();
  }
  await helper.close();
  return undefined;
}
