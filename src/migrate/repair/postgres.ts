/** Repairs PostgreSQL from SQLite: rows written through a staging table as upserts, extras deleted. */
import { quoteSchema } from '../../schema';
import { ChunkReader } from '../snapshot';
import { copyText } from '../backfill';
import { ident, type MigrationTable, type SqliteDatabase } from '../core';
import { type PgClient } from '../postgres';
import type { ExceptionPlan, RowException } from '../profile';
import type { RepairTarget } from './target';

export class PostgresRepairTarget implements RepairTarget {
  private readonly plan: ExceptionPlan;

  constructor(private readonly client: PgClient, private readonly schema: string, private readonly db: SqliteDatabase, exceptions: readonly RowException[]) {
    this.plan = { exceptions: [...exceptions], skipped: new Map(), nulled: new Map() };
    for (const e of exceptions) {
      if (e.column === null) {
        if (!this.plan.skipped.has(e.table)) this.plan.skipped.set(e.table, new Set());
        this.plan.skipped.get(e.table)!.add(e.key);
      } else {
        if (!this.plan.nulled.has(e.table)) this.plan.nulled.set(e.table, new Map());
        const byKey = this.plan.nulled.get(e.table)!;
        byKey.set(e.key, [...(byKey.get(e.key) ?? []), e.column]);
      }
    }
  }

  async deleteKeys(table: MigrationTable, keys: string[]): Promise<void> {
    await this.inTransaction(() => this.client.query(`DELETE FROM ${this.target(table)} WHERE ${ident(table.key)} = ANY($1::text[])`, [keys]));
  }

  async writeKeys(table: MigrationTable, keys: string[]): Promise<void> {
    const chunk = new ChunkReader(this.db, table, this.plan, keys.length).readKeys(keys);
    if (!chunk || chunk.rows === 0) return;
    const columns = table.columns.map((c) => ident(c.name));
    const updates = columns.filter((c) => c !== ident(table.key)).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    const stage = ident(`_repair_${table.name}`);
    await this.inTransaction(async () => {
      await this.client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${this.target(table)}) ON COMMIT DELETE ROWS`);
      await copyText(this.client, stage, columns.join(', '), chunk.text);
      await this.client.query(
        `INSERT INTO ${this.target(table)} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${stage}
         ON CONFLICT (${ident(table.key)}) DO UPDATE SET ${updates}`,
      );
    });
  }

  private target(table: MigrationTable): string {
    return `${quoteSchema(this.schema)}.${ident(table.name)}`;
  }

  private async inTransaction(work: () => Promise<unknown>): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await work();
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
