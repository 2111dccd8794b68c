/**
 * The SQLite side of a backfill or verify, in a worker thread: it holds the one read transaction
 * (the snapshot), profiles, and reads chunks while the main thread talks to PostgreSQL, so that
 * both databases work at the same time on a 2-core machine. verify runs a second one on the same
 * snapshot (verify/verify.ts: secondReader) to sum half of each table's rows.
 */
import { parentPort } from 'node:worker_threads';
import { ChunkReader } from './chunk-reader';
import { beginSnapshot, endSnapshot, findMigrationTable, journalMode, logPosition, openRegistryFile, type SqliteDatabase } from '../core';
import { MigrationError } from '../results';
import { emptyPlan, type ExceptionPlan, planExceptions, profileTable } from '../profile';
import { VerifyChunkReader } from './verify-reader';
import { ChecksumTableReader } from './checksum-reader';
import type { WorkerRequest, WorkerReply } from './protocol';

let db: SqliteDatabase | undefined;
let plan: ExceptionPlan = emptyPlan();
const copyReaders = new Map<string, ChunkReader>();
const verifyReaders = new Map<string, VerifyChunkReader>();
const tableReaders = new Map<string, ChecksumTableReader>();

function handle(request: WorkerRequest): WorkerReply {
  switch (request.type) {
    case 'open': {
      db = openRegistryFile(request.registryDb);
      db.pragma(`cache_size = -${request.cacheKib}`);
      beginSnapshot(db);
      return { type: 'opened', journalMode: journalMode(db), logPosition: logPosition(db) };
    }
    case 'profile-table':
      return { type: 'profiled-table', profile: profileTable(db!, findMigrationTable(request.table)) };
    case 'plan': {
      try {
        plan = planExceptions(db!, request.profile, request.choices);
      } catch (error) {
        if (error instanceof MigrationError) return { type: 'planned', exceptions: [], refusal: error.message };
        throw error;
      }
      // The plan itself stays here, where the chunks are read; the main thread records its exceptions.
      return { type: 'planned', exceptions: plan.exceptions };
    }
    case 'copy-chunk': {
      let reader = copyReaders.get(request.table);
      if (!reader) copyReaders.set(request.table, (reader = new ChunkReader(db!, findMigrationTable(request.table), plan, request.chunkRows)));
      const chunk = reader.read(request.afterKey);
      return { type: 'copy-chunk', chunk: chunk && { ...chunk, text: '' }, data: chunk ? encodeChunk(chunk.text, request.buffer) : undefined };
    }
    case 'verify-chunk': {
      let reader = verifyReaders.get(request.table);
      if (!reader) verifyReaders.set(request.table, (reader = new VerifyChunkReader(db!, findMigrationTable(request.table), request.chunkRows, request.exceptions ?? [])));
      return { type: 'verify-chunk', chunk: reader.read(request.afterKey) };
    }
    case 'checksum-bounds': {
      const reader = new ChecksumTableReader(db!, findMigrationTable(request.table));
      tableReaders.set(request.table, reader);
      return { type: 'checksum-bounds', bounds: reader.boundaries(request.chunkRows) };
    }
    case 'checksum-table': {
      let reader = tableReaders.get(request.table);
      if (!reader) reader = new ChecksumTableReader(db!, findMigrationTable(request.table));
      tableReaders.delete(request.table);
      if (request.bounds) reader.useBoundaries(request.bounds);
      return { type: 'checksum-table', checksums: reader.checksums(request.half, new Set(request.skipped ?? [])) };
    }
    case 'snapshot-restart': {
      endSnapshot(db!);
      beginSnapshot(db!);
      return { type: 'snapshot-restarted', logPosition: logPosition(db!) };
    }
    case 'verify-rows': {
      // The operator's exceptions apply to the rows compared (skipped rows left out, nulled values NULL).
      let reader = verifyReaders.get(request.table);
      if (!reader) verifyReaders.set(request.table, (reader = new VerifyChunkReader(db!, findMigrationTable(request.table), 1, request.exceptions ?? [])));
      return { type: 'verify-rows', rows: reader.rowsBetween(request.afterKey, request.upToKey) };
    }
    case 'close': {
      if (db) {
        endSnapshot(db);
        db.close();
      }
      return { type: 'closed' };
    }
  }
}

const encoder = new TextEncoder();

/**
 * A chunk's COPY data as UTF-8, written over `reuse` when it is large enough. The main thread hands
 * each chunk's buffer back once PostgreSQL has stored it, so a copy cycles through a few buffers
 * instead of leaving a new one per chunk for the garbage collector (tens of MB of dead buffers
 * between two collections). A fresh buffer is only this thread's, so it is transferred, not copied.
 */
function encodeChunk(text: string, reuse: ArrayBuffer | undefined): Uint8Array {
  const bytes = Buffer.byteLength(text, 'utf8');
  const buffer = reuse && reuse.byteLength >= bytes ? reuse : new ArrayBuffer(Math.max(bytes + (bytes >> 2), 64 * 1024));
  const view = new Uint8Array(buffer, 0, bytes);
  encoder.encodeInto(text, view);
  return view;
}

parentPort!.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = handle(request);
  } catch (error) {
    const e = error as MigrationError;
    reply = { type: 'error', message: e.message, migration: error instanceof MigrationError, code: (error as { code?: string }).code };
  }
  const transfer = reply.type === 'copy-chunk' && reply.data ? [reply.data.buffer as ArrayBuffer] : [];
  parentPort!.postMessage(reply, transfer);
});
