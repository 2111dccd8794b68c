/**
 * The worker thread of `SyncPgClient`: it owns the `pg` connections and answers requests from the
 * caller's thread, which sleeps in `Atomics.wait` meanwhile. A reply is posted on the port first,
 * then the reply counter is bumped and the caller woken, so the caller always finds the message it
 * was woken for.
 *
 * The caller cannot see this thread's `exit` event while it is blocked, so the thread itself marks
 * the shared state as exited (and wakes the caller) when it ends: on an uncaught error, an
 * unhandled rejection or `process.exit()`. A thread stopped from outside (`terminate()`, which only
 * the caller does) or hung is found by the caller's timeout instead.
 *
 * After `close` the thread stays, without connections: the caller may park it and hand it to the
 * next client it opens (`configure`), which then skips starting a thread and loading `pg`.
 */
import { workerData } from 'node:worker_threads';
import { RequestHandler } from './requests';
import { ForwardingRecorder } from '../../../metrics/forward';
import { setMetricsRecorder } from '../../../metrics/record';
import { SIGNAL_REPLIES, SIGNAL_STATE, WORKER_EXITED, WORKER_READY, type Reply, type Request, type WorkerData } from '../core/protocol';

const { config, port, signal: shared } = workerData as WorkerData;
const signal = new Int32Array(shared);
let handler = new RequestHandler(config);
// This thread has no OpenTelemetry SDK: what it measures (pool waits) goes to the caller's thread
// ahead of the reply it belongs to, and is recorded there (sync-channel.ts).
const metrics = new ForwardingRecorder(() => true);
setMetricsRecorder(metrics);

process.on('exit', () => {
  Atomics.store(signal, SIGNAL_STATE, WORKER_EXITED);
  wake();
});

port.on('message', (request: Request) => {
  if (request.kind === 'configure') {
    handler = new RequestHandler(request.config);
    return;
  }
  void handler.handle(request).then(reply);
});

Atomics.store(signal, SIGNAL_STATE, WORKER_READY);
wake();

function reply(message: Reply): void {
  // The port may already be closed (after `close`): the caller then stopped waiting.
  try {
    metrics.flush(port);
    port.postMessage(message);
  } catch {
    return;
  }
  wake();
}

function wake(): void {
  Atomics.add(signal, SIGNAL_REPLIES, 1);
  Atomics.notify(signal, SIGNAL_REPLIES);
}
