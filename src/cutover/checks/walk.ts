/** A bounded walk of a folder tree for the code and data checks: no symlinks followed, .git skipped. */
import fs from 'node:fs';
import path from 'node:path';

export interface WalkOptions {
  /** Folders (by name) not to enter; they are still passed to onDirectory. */
  skipDirectories: ReadonlySet<string>;
  onFile(file: string): void;
  onDirectory?(directory: string): void;
  /** Stop after this many entries (a guard against walking a whole disk). */
  limit?: number;
}

/** Walks `root`; returns how many entries it saw and whether it stopped at the limit. */
export function walk(root: string, options: WalkOptions): { entries: number; truncated: boolean } {
  const limit = options.limit ?? 500_000;
  const stack = [root];
  let entries = 0;
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable: permissions, or removed meanwhile
    }
    for (const entry of list) {
      if (++entries > limit) return { entries, truncated: true };
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        options.onDirectory?.(full);
        if (entry.name !== '.git' && !options.skipDirectories.has(entry.name)) stack.push(full);
      } else if (entry.isFile()) {
        options.onFile(full);
      }
    }
  }
  return { entries, truncated: false };
}

/** Up to `n` items, then "and k more". */
export function listSome(items: readonly string[], n = 5): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}
