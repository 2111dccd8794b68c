/**
 * `swarm-registry translate`: one SQLite statement → its PostgreSQL form, against the catalog of
 * REGISTRY_PG_SCHEMA when a database is given (then also prepared there, inside a rolled-back
 * transaction, so a missing table or column fails as `prepare` would), or against the registry's
 * own 8 tables offline.
 */
import { TranslationError } from '../../adapter';
import { mapPgError } from '../../backends/postgres/core';
import { loadCatalog, quoteSchema, registryCatalog, type SchemaCatalog } from '../../schema';
import { translate, type Translation } from '../../translator';
import { connectPostgres, type PgClient } from '../postgres';
import { describeUrl, MigrationError } from '../results';

export interface TranslateStatementOptions {
  sql: string;
  pgSchema: string;
  /** Read the catalog from here (and prepare the statement there); null: the built-in registry schema. */
  databaseUrl: string | null;
  overrides: Map<string, string>;
}

export interface TranslatedStatement {
  translation: Translation;
  /** `database` (read from REGISTRY_PG_SCHEMA) or `built-in` (the registry's 8 tables). */
  catalog: 'database' | 'built-in';
  /** Whether PostgreSQL accepted the statement (null: not asked, offline or not preparable). */
  preparedOnServer: boolean | null;
}

/** Statements PostgreSQL's PREPARE accepts. */
const PREPARABLE = new Set(['select', 'insert', 'update', 'delete']);

export async function translateStatement(options: TranslateStatementOptions): Promise<TranslatedStatement> {
  if (options.databaseUrl === null) {
    const translation = translateOrExplain(options.sql, registryCatalog(options.pgSchema), options.overrides);
    return { translation, catalog: 'built-in', preparedOnServer: null };
  }
  const client = await connectPostgres(options.databaseUrl);
  try {
    const catalog = await loadCatalog(client, options.pgSchema);
    if (catalog.tables.size === 0) {
      throw new MigrationError(`Schema ${options.pgSchema} has no tables in ${describeUrl(options.databaseUrl)}: run swarm-registry init first, or unset DATABASE_URL (or pass --offline) to translate against the registry's built-in schema.`);
    }
    const translation = translateOrExplain(options.sql, catalog, options.overrides);
    const preparable = PREPARABLE.has(translation.kind) && !translation.noop;
    if (preparable) await prepareOnServer(client, options.pgSchema, translation, catalog, options.databaseUrl);
    return { translation, catalog: 'database', preparedOnServer: preparable ? true : null };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function translateOrExplain(sql: string, catalog: SchemaCatalog, overrides: Map<string, string>): Translation {
  try {
    return translate(sql, catalog, { overrides });
  } catch (error) {
    throw prepareError(error);
  }
}

/** PREPARE checks names and types without running anything; the transaction is rolled back either way. */
async function prepareOnServer(client: PgClient, schema: string, translation: Translation, catalog: SchemaCatalog, url: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL search_path TO ${quoteSchema(schema)}`);
    await client.query(`PREPARE sra_translate_check AS ${translation.text}`);
  } catch (error) {
    throw prepareError(mapPgError(error, { catalog, url }));
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

/** A statement `prepare` would refuse: the command ran and found the problem (exit 1). */
export class UnpreparableStatement extends MigrationError {
  override name = 'UnpreparableStatement';
}

/** The error `prepare` would raise, as the CLI's one sentence. */
function prepareError(error: unknown): MigrationError {
  if (!(error instanceof Error) || error instanceof MigrationError) return error as MigrationError;
  const message = error.message.replace(/\.$/, '');
  const hint = error instanceof TranslationError
    ? 'rewrite the statement, or give its PostgreSQL form in the REGISTRY_SQL_OVERRIDES file'
    : 'prepare() raises the same error: fix the statement';
  const code = (error as { code?: unknown }).code;
  const details: Record<string, unknown> = { kind: error.name, ...(typeof code === 'string' ? { code } : {}) };
  if (error instanceof TranslationError) details.construct = error.construct;
  return new UnpreparableStatement(`${message}; ${hint}.`, 1, { cause: error, details });
}
