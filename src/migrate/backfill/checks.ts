/**
 * Foreign keys, checked in bulk. The copy runs with `session_replication_role = replica` where the
 * role may set it, which skips PostgreSQL's per-row foreign-key triggers for this session only (the
 * profile already found every dangling reference in the snapshot, and parents are copied first).
 * One anti-join per reference afterwards confirms that nothing points nowhere.
 */
import { quoteSchema } from '../../schema';
import { ident, MIGRATION_TABLES } from '../core';
import { type PgClient } from '../postgres';

/** True when per-row foreign-key checks are off for this session. */
export async function skipRowTriggers(client: PgClient): Promise<boolean> {
  try {
    await client.query('SET session_replication_role = replica');
    return true;
  } catch {
    return false; // not a superuser (nor granted the setting): the copy checks each row instead
  }
}

export async function restoreRowTriggers(client: PgClient): Promise<void> {
  await client.query('SET session_replication_role = DEFAULT');
}

/** Dangling references in PostgreSQL, one sentence each (none expected). */
export async function danglingReferences(client: PgClient, schema: string): Promise<string[]> {
  const s = quoteSchema(schema);
  const found: string[] = [];
  for (const table of MIGRATION_TABLES) {
    for (const column of table.columns.filter((c) => c.references)) {
      const ref = column.references!;
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${s}.${ident(table.name)} c WHERE c.${ident(column.name)} IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ${s}.${ident(ref.table)} p WHERE p.${ident(ref.column)} = c.${ident(column.name)})`,
      );
      const n = Number(rows[0]!.n);
      if (n > 0) found.push(`${n} row(s) of ${table.name} have a ${column.name} that is not in ${ref.table}.${ref.column}`);
    }
  }
  return found;
}
