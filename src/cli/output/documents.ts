/**
 * The JSON documents `swarm-registry <command> --json` prints on stdout, one type per command.
 * The commands build their documents as these types, so a change to one is a change to the type
 * that scripts reading the output compile against (exported as `Database.InitJson` and so on).
 */
// Type-only imports of the files that declare the results, not of the folder indexes: these types
// are part of the package's published declarations, which must not need pg's or better-sqlite3's
// types, and an index re-exports modules whose declarations do.
import type { InitResult } from '../../migrate/init';
import type { BackfillResult, DryRunResult, RegistryProfile, VerifyResult } from '../../migrate/results';
import type { TranslatedStatement } from '../../migrate/translate';
import type { StatusResult } from '../../cutover/status';
import type { DivergenceSummary } from '../../shadow/report';

/** `init --json`: the schema is ready; `backup` is where REGISTRY_DB was copied (null: no file). */
export type InitJson = { ok: true } & InitResult;

/** `init --print --json`: the DDL, connecting to nothing. */
export interface InitPrintJson {
  ok: true;
  schema: string;
  statements: string[];
}

/** `backfill --json`: what was copied, table by table, and the rows skipped or nulled as chosen. */
export type BackfillJson = { ok: true } & BackfillResult;
/** `backfill --dry-run --json`. */
export type BackfillDryRunJson = { ok: true; dryRun: true } & DryRunResult;

/** `verify --json`: differences per table (with samples); `repair` when --repair ran. */
export type VerifyJson = { ok: true } & VerifyResult;

/** `report --json`: the divergence log summarised over `window`. */
export type ReportJson = { ok: true; window: string } & DivergenceSummary;

/** `status --json`: the cutover checklist; `ok` is false when a check failed (exit code 1). */
export type StatusJson = { ok: boolean } & StatusResult;

/** `translate --json`: the PostgreSQL form of the statement and what the adapter knows of it. */
export type TranslateJson = { ok: true } & TranslatedStatement;

/**
 * Any command's failure with --json (exit code 1 or 2; the same sentence goes to stderr). Some
 * failures add details: `translate` the error's `kind`, `code` and `construct`; a `backfill`
 * refused for orphan rows or loose values the `profile` that explains the refusal.
 */
export interface FailureJson {
  ok: false;
  error: string;
  kind?: string;
  code?: string;
  construct?: string;
  profile?: RegistryProfile;
}
