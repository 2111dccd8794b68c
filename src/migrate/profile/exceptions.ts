/**
 * What the copy does with the rows the profile found, as the operator chose (docs/cli.md, backfill: no row is
 * dropped unless the operator says so): `skip` leaves the row out (and, in cascade, the rows that
 * point at it), `null` nulls the dangling reference or loose value where the column allows NULL.
 * Without a choice, any finding refuses the copy.
 */
import { findMigrationTable, MIGRATION_TABLES, type SqliteDatabase } from '../core';
import { MigrationError, type RowException } from '../results';
import { referencingSql } from './sql';
import type { RegistryProfile } from './profile';
export type { RowException };

export type Choice = 'skip' | 'null';

export interface Choices {
  orphans?: Choice;
  loose?: Choice;
}


export interface ExceptionPlan {
  exceptions: RowException[];
  /** Keys left out, per table. */
  skipped: Map<string, Set<string>>;
  /** Columns nulled, per table and key. */
  nulled: Map<string, Map<string, string[]>>;
}

export function emptyPlan(): ExceptionPlan {
  return { exceptions: [], skipped: new Map(), nulled: new Map() };
}

/** Builds the plan, or throws the one-sentence refusal when a finding has no (possible) choice. */
export function planExceptions(db: SqliteDatabase, profile: RegistryProfile, choices: Choices): ExceptionPlan {
  const plan = emptyPlan();
  const refusals: string[] = [];
  for (const table of MIGRATION_TABLES) {
    const skipped = new Set<string>();
    plan.skipped.set(table.name, skipped);
    const apply = (key: string, column: string, nullable: boolean, choice: Choice | undefined, flag: string, reason: string): void => {
      if (skipped.has(key)) return;
      if (choice === 'skip') {
        skipped.add(key);
        plan.exceptions.push({ table: table.name, key, column: null, reason });
      } else if (choice === 'null' && nullable) {
        const columns = plan.nulled.get(table.name)?.get(key) ?? [];
        if (!plan.nulled.has(table.name)) plan.nulled.set(table.name, new Map());
        plan.nulled.get(table.name)!.set(key, [...columns, column]);
        plan.exceptions.push({ table: table.name, key, column, reason });
      } else {
        refusals.push(choice === 'null' ? `${table.name}.${column} is NOT NULL, so ${flag}=null cannot keep row ${key} (${reason}): use ${flag}=skip` : `${flag}`);
      }
    };
    for (const finding of profile.loose.filter((l) => l.table === table.name)) {
      if (finding.kind === 'null-key') {
        if (choices.loose !== 'skip') refusals.push(`${finding.count} row(s) of ${table.name} have no key and can only be skipped: use --loose=skip`);
        continue; // the copy reads rows in key order, which leaves keyless rows out
      }
      const nullable = table.columns.find((c) => c.name === finding.column)!.nullable;
      for (const key of finding.keys) apply(key, finding.column, nullable, choices.loose, '--loose', `${finding.kind} in ${finding.column}`);
    }
    for (const column of table.columns.filter((c) => c.references)) {
      const parent = `${column.references!.table}.${column.references!.column}`;
      const direct = profile.orphans.find((o) => o.table === table.name && o.column === column.name)?.rows ?? [];
      for (const { key, value } of direct) apply(key, column.name, column.nullable, choices.orphans, '--orphans', `${column.name} ${value} is not in ${parent}`);
      const parentSkipped = plan.skipped.get(column.references!.table);
      if (parentSkipped && parentSkipped.size > 0) {
        const rows = db.prepare(referencingSql(findMigrationTable(table.name), column)).raw().all(JSON.stringify([...parentSkipped])) as Array<[string, string]>;
        for (const [key, value] of rows) apply(key, column.name, column.nullable, choices.orphans, '--orphans', `${column.name} ${value} points at a skipped ${parent} row`);
      }
    }
  }
  if (refusals.length > 0) throw refusal(refusals);
  return plan;
}

function refusal(refusals: string[]): MigrationError {
  const detailed = refusals.find((r) => r !== '--orphans' && r !== '--loose');
  if (detailed) return new MigrationError(`Refusing to copy: ${detailed}.`);
  const orphans = refusals.filter((r) => r === '--orphans').length;
  const loose = refusals.filter((r) => r === '--loose').length;
  const found = [orphans ? `${orphans} orphan row(s)` : '', loose ? `${loose} loose value(s)` : ''].filter(Boolean).join(' and ');
  const options = [orphans ? '--orphans=skip or --orphans=null' : '', loose ? '--loose=skip or --loose=null' : ''].filter(Boolean).join(', and ');
  return new MigrationError(`Refusing to copy: the registry holds ${found} that PostgreSQL would reject (listed above); fix them in SQLite, or choose with ${options}.`);
}

/** Counts of what the plan leaves out or nulls. */
export function planSummary(plan: ExceptionPlan): { skippedRows: number; nulledValues: number } {
  let skippedRows = 0;
  for (const keys of plan.skipped.values()) skippedRows += keys.size;
  return { skippedRows, nulledValues: plan.exceptions.length - skippedRows };
}
