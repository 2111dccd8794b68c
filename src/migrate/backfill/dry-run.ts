/**
 * `backfill --dry-run`: what each choice for orphan rows and loose values would leave out, per
 * table, before anything is copied. Skipping a row also skips the rows that point at it (and so
 * on down), so the rows left out can be many more than the profile's findings: this shows them.
 * Reads only the SQLite file, inside one snapshot; PostgreSQL is not needed.
 */
import { beginSnapshot, endSnapshot, MIGRATION_TABLES, openRegistryFile } from '../core';
import { type ChoiceOutcome, type DryRunResult, MigrationError, type TableOutcome } from '../results';
import { type Choice, type Choices, planExceptions, problemCount, profileRegistry, type RegistryProfile } from '../profile';

export type { ChoiceOutcome, DryRunResult, TableOutcome };

const DEPENDENT = / points at a skipped /;

export function backfillDryRun(registryDb: string, given: Choices = {}): DryRunResult {
  const db = openRegistryFile(registryDb);
  try {
    beginSnapshot(db);
    const profile = profileRegistry(db);
    const outcomes = choiceSets(profile, given).map((choices) => {
      const tables: TableOutcome[] = MIGRATION_TABLES.map((t) => ({ table: t.name, rows: profile.rowsByTable[t.name] ?? 0, skipped: 0, dependents: 0, nulled: 0 }));
      const flags = flagsOf(choices);
      try {
        const plan = planExceptions(db, profile, choices);
        for (const e of plan.exceptions) {
          const row = tables.find((t) => t.table === e.table)!;
          if (e.column !== null) row.nulled++;
          else if (DEPENDENT.test(e.reason)) row.dependents++;
          else row.skipped++;
        }
        const skippedRows = tables.reduce((n, t) => n + t.skipped + t.dependents, 0);
        const nulledValues = tables.reduce((n, t) => n + t.nulled, 0);
        return { choices, flags, refusal: null, tables, skippedRows, nulledValues };
      } catch (error) {
        if (!(error instanceof MigrationError)) throw error;
        return { choices, flags, refusal: error.message, tables, skippedRows: 0, nulledValues: 0 };
      }
    });
    endSnapshot(db);
    return { profile, outcomes };
  } finally {
    db.close();
  }
}

/** Every combination worth showing: each kind of finding present gets both choices, unless given. */
function choiceSets(profile: RegistryProfile, given: Choices): Choices[] {
  const { orphans, loose } = problemCount(profile);
  const options = (found: number, chosen: Choice | undefined): Array<Choice | undefined> => (chosen ? [chosen] : found > 0 ? ['skip', 'null'] : [undefined]);
  const sets: Choices[] = [];
  for (const o of options(orphans, given.orphans)) {
    for (const l of options(loose, given.loose)) sets.push({ ...(o ? { orphans: o } : {}), ...(l ? { loose: l } : {}) });
  }
  return sets;
}

function flagsOf(choices: Choices): string {
  return [choices.orphans ? `--orphans=${choices.orphans}` : '', choices.loose ? `--loose=${choices.loose}` : ''].filter(Boolean).join(' ') || '(no choice needed)';
}
