import type { MigrationTable } from '../core';

/** One side's way of applying a range's fix in a transaction. */
export interface RepairTarget {
  deleteKeys(table: MigrationTable, keys: string[]): Promise<void>;
  writeKeys(table: MigrationTable, keys: string[]): Promise<void>;
}
