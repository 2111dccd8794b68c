/**
 * Size-based rotation of the divergence log: `log` → `log.1` → `log.2` ... up to `keep` files,
 * the oldest overwritten. Several processes may append to (and rotate) the same log, so a file
 * that another one already moved is not an error.
 */
import fs from 'node:fs';

/** `log`'s rotated files, newest first (`log.1`, `log.2`, ...), as many as `keep`. */
export function rotatedPaths(log: string, keep: number): string[] {
  return Array.from({ length: keep }, (_, i) => `${log}.${i + 1}`);
}

/** Rotates `log` when appending `incomingBytes` would take it past `maxBytes`. Returns whether it did. */
export function rotateIfFull(log: string, incomingBytes: number, maxBytes: number, keep: number): boolean {
  const size = sizeOf(log);
  if (size === 0 || size + incomingBytes <= maxBytes) return false;
  if (keep < 1) {
    fs.truncateSync(log, 0);
    return true;
  }
  const rotated = rotatedPaths(log, keep);
  for (let i = keep - 1; i >= 1; i--) renameIfPresent(rotated[i - 1]!, rotated[i]!);
  renameIfPresent(log, rotated[0]!);
  return true;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
