/** What `seedRegistry` generates (seed.ts); the row generators (rows.ts) read it too. */
export interface SeedOptions {
  /** About how many rows in all (at least a few per table). */
  rows: number;
  /** Rows whose references point nowhere (the engine's FK-less writes). */
  orphans?: boolean;
  /** Values SQLite's loose typing let in: text in an INTEGER column, invalid JSON, ... */
  loose?: boolean;
  /**
   * Every `largeArtifactEvery`-th execution artifact carries `largeArtifactKib` KiB of text (a
   * build log), as production's do (default: none).
   */
  largeArtifactKib?: number;
  largeArtifactEvery?: number;
  /** Journal mode of the file; the engine runs in WAL. */
  journalMode?: 'wal' | 'delete';
  seed?: number;
}
