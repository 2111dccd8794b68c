/**
 * The caller's stack frame for a divergence record: the first frame of a stack that is neither in
 * this package's compiled code (dist/) nor inside Node.js, so the record points at the engine's
 * line that ran the statement.
 */
import path from 'node:path';

/** This package's dist/ directory (this file is dist/shadow/mirror/caller-frame.js). */
export const PACKAGE_DIST = path.resolve(__dirname, '..', '..');

/** This package's src/ directory: with source maps enabled, frames of dist/ are shown there. */
export const PACKAGE_SRC = path.resolve(PACKAGE_DIST, '..', 'src');

/** The first frame of `stack` outside `skippedDirs` and Node's internals, without its "at ". */
export function callerFrame(stack: string | undefined, skippedDirs: readonly string[] = [PACKAGE_DIST, PACKAGE_SRC]): string | undefined {
  if (!stack) return undefined;
  const prefixes = skippedDirs.map((dir) => dir.endsWith(path.sep) ? dir : dir + path.sep);
  for (const line of stack.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('at ')) continue;
    if (isInternal(trimmed) || prefixes.some((prefix) => trimmed.includes(prefix) || trimmed.includes(`file://${prefix}`))) continue;
    return trimmed.slice(3);
  }
  return undefined;
}

function isInternal(frame: string): boolean {
  return frame.includes('(node:') || frame.startsWith('at node:') || frame.includes('(internal/') || frame.startsWith('at internal/') || frame === 'at <anonymous>';
}
