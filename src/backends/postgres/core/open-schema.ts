/**
 * Opening the registry schema, written once for the three front ends (the synchronous backend, the
 * AsyncDatabase pool, the shadow mirror): the schema and the write lock's objects created when
 * missing and the connection may write, then the schema's catalog read. A generator of queries
 * (schema/drive.ts runs it synchronously or asynchronously); each query's rows come back as
 * objects keyed by column name.
 */
import { createdConcurrently } from '../../../schema/concurrent-ddl';
import type { SchemaCatalog } from '../../../schema/catalog';
import { readCatalogSteps, type CatalogQuery } from '../../../schema/introspect';
import { ensureSchemaSql } from './write-lock-schema';
import type { RawValue, WireResult } from './protocol';

export type { CatalogQuery } from '../../../schema/introspect';
export { driveAsync, driveSync } from '../../../schema/drive';

/** Query results as the catalog reads them: rows as objects keyed by column name. */
export interface ObjectRows {
  rows: Array<Record<string, unknown>>;
}

export function* openSchemaSteps(schema: string, writes: boolean): Generator<CatalogQuery, SchemaCatalog, ObjectRows> {
  const sql = ensureSchemaSql(schema);
  const found = yield { text: sql.exists, values: [] };
  const exists = Object.values(found.rows[0] ?? {})[0];
  if (exists !== 't' && exists !== true && writes) {
    try {
      yield { text: sql.create, values: [] };
    } catch (error) {
      // Another connection made the schema at the same moment (the mirror's progress writer,
      // another process): it exists now, so the rest of the set-up runs again.
      if (!createdConcurrently(error)) throw error;
      yield { text: sql.create, values: [] };
    }
  }
  return yield* readCatalogSteps(schema) as Generator<CatalogQuery, SchemaCatalog, ObjectRows>;
}

/** A wire result's rows as objects keyed by column name (a NULL as null). */
export function objectRows(result: Pick<WireResult, 'fields' | 'rows'>): { rows: Array<Record<string, RawValue>> } {
  const names = result.fields.map((f) => f.name);
  const rows = result.rows;
  const out = new Array<Record<string, RawValue>>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const object: Record<string, RawValue> = {};
    for (let c = 0; c < names.length; c++) object[names[c]!] = row[c] ?? null;
    out[r] = object;
  }
  return { rows: out };
}
