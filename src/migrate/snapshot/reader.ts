/** The main thread's handle on the snapshot worker: one request at a time per call, answered in order. */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MigrationError } from '../results';
import type { WorkerReply, WorkerRequest } from './protocol';

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
  async request<T extends WorkerReply['type']>(request: WorkerRequest, expected: T): Promise<Reply<T>> {
    if (this.failure) throw this.failure;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(request);
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
