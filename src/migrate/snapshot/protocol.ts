/** Messages between the main thread and the snapshot worker (worker.ts). */
import type { Chunk } from './chunk-reader';
import type { Choices, RegistryProfile, RowException } from '../profile';
import type { CanonicalRow, VerifyChunk } from './verify-reader';
import type { TableChecksums } from './checksum-reader';

/**
 * The page cache of each snapshot reader's SQLite connection. Rows are read once, in key order; the
 * operating system's cache serves pages read again, so a larger cache only makes the process
 * bigger as the registry grows (64 MB per reader made verify's RSS grow with the file).
 */
export const SNAPSHOT_CACHE_KIB = 8192;

export type WorkerRequest =
  | { type: 'open'; registryDb: string; cacheKib: number }
  | { type: 'profile-table'; table: string }
  | { type: 'plan'; profile: RegistryProfile; choices: Choices }
  /** `buffer`: an earlier chunk's bytes, handed back to be written over (memory stays flat). */
  | { type: 'copy-chunk'; table: string; afterKey: string | null; chunkRows: number; buffer?: ArrayBuffer }
  | { type: 'verify-chunk'; table: string; afterKey: string | null; chunkRows: number; exceptions?: RowException[] }
  | { type: 'verify-rows'; table: string; afterKey: string | null; upToKey: string | null; exceptions?: RowException[] }
  | { type: 'checksum-bounds'; table: string; chunkRows: number }
  | { type: 'checksum-table'; table: string; bounds?: string[]; half?: 'lower' | 'upper'; skipped?: string[] }
  | { type: 'snapshot-restart' }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'opened'; journalMode: string; logPosition: number | null }
  | { type: 'profiled-table'; profile: RegistryProfile }
  | { type: 'planned'; exceptions: RowException[]; refusal?: string }
  | { type: 'copy-chunk'; chunk: Chunk | undefined; data: Uint8Array | undefined }
  | { type: 'verify-chunk'; chunk: VerifyChunk }
  | { type: 'verify-rows'; rows: CanonicalRow[] }
  | { type: 'checksum-bounds'; bounds: string[] }
  | { type: 'snapshot-restarted'; logPosition: number | null }
  | { type: 'checksum-table'; checksums: TableChecksums }
  | { type: 'closed' }
  | { type: 'error'; message: string; migration: boolean; code: string | undefined };
