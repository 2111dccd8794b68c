/**
 * Repairs SQLite from PostgreSQL (the rollback after the cutover): rows read from PostgreSQL in the
 * shape SQLite stores them (JSON text, 1/0, integers, blobs, timestamps in the column's learnt text
 * format) and upserted; extras deleted. Foreign keys are not checked on this connection: the rows
 * come from PostgreSQL, which enforced them, and SQLite's registry already holds orphans that an
 * update of an unrelated column must not trip over.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { formatTimestamp } from '../../backends/postgres/values';
import { quoteSchema, type TimestampFormat, timestampFormatFromComment } from '../../schema';
import { ident, type MigrationColumn, type MigrationTable, type SqliteDatabase } from '../core';
import { type PgClient } from '../postgres';
import type { RepairTarget } from './target';

function selectExpression(column: MigrationColumn): string {
  const c = ident(column.name);
  if (column.kind === 'boolean') return `${c}::int::text`;
  if (column.kind === 'blob') return `encode(${c}, 'hex')`;
  return `${c}::text`;
}

export class SqliteRepairTarget implements RepairTarget {
  private constructor(private readonly db: SqliteDatabase, private readonly client: PgClient, private readonly schema: string, private readonly formats: Map<string, TimestampFormat>) {
    db.pragma('foreign_keys = OFF');
  }

  static async create(db: SqliteDatabase, client: PgClient, schema: string): Promise<SqliteRepairTarget> {
    const { rows } = await client.query<{ relname: string; attname: string; comment: string | null }>(
      `SELECT c.relname, a.attname, col_description(a.attrelid, a.attnum) AS comment
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
      [schema],
    );
    const formats = new Map<string, TimestampFormat>();
    for (const r of rows) formats.set(`${r.relname}.${r.attname}`, timestampFormatFromComment(r.comment) ?? 'sqlite');
    return new SqliteRepairTarget(db, client, schema, formats);
  }

  async deleteKeys(table: MigrationTable, keys: string[]): Promise<void> {
    const stmt = this.db.prepare(`DELETE FROM ${ident(table.name)} WHERE ${ident(table.key)} IN (SELECT value FROM json_each(?))`);
    this.db.transaction(() => stmt.run(JSON.stringify(keys))).immediate();
  }

  async writeKeys(table: MigrationTable, keys: string[]): Promise<void> {
    const { rows } = await this.client.query<Array<string | null>>({
      text: `SELECT ${table.columns.map(selectExpression).join(', ')} FROM ${quoteSchema(this.schema)}.${ident(table.name)} WHERE ${ident(table.key)} = ANY($1::text[])`,
      values: [keys],
      rowMode: 'array',
    });
    const columns = table.columns.map((c) => ident(c.name));
    const updates = columns.filter((c) => c !== ident(table.key)).map((c) => `${c} = excluded.${c}`).join(', ');
    const stmt: BetterSqlite3.Statement<unknown[]> = this.db.prepare(
      `INSERT INTO ${ident(table.name)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
       ON CONFLICT (${ident(table.key)}) DO UPDATE SET ${updates}`,
    );
    this.db.transaction(() => {
      for (const row of rows) stmt.run(...row.map((value, i) => this.sqliteValue(table, table.columns[i]!, value)));
    }).immediate();
  }

  private sqliteValue(table: MigrationTable, column: MigrationColumn, text: string | null): unknown {
    if (text === null) return null;
    switch (column.kind) {
      case 'integer':
      case 'boolean':
        return BigInt(text);
      case 'blob':
        return Buffer.from(text, 'hex');
      case 'timestamp':
        return formatTimestamp(text, this.formats.get(`${table.name}.${column.name}`) ?? 'sqlite', true);
      default:
        return text;
    }
  }
}
