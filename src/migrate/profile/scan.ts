/**
 * The profile's scan of one table, cheap in the common case. A registry usually holds no loose
 * value, so one pass first counts the rows with any finding at all (one FILTER over all the
 * conditions, which SQLite evaluates without an aggregate per column) and the two timestamp
 * formats of each column packed into one sum (ISO in the low 32 bits, SQLite text in the high
 * ones). Only when a row has a finding does the detailed aggregate of sql.ts run, once.
 * Both produce the same statistics, by the names of `statName`.
 */
import { ident, type MigrationTable, type SqliteDatabase } from '../core';
import { looseCondition, profileAggregateSql, statName } from './sql';

const LOW = 2 ** 32;

function quickScanSql(table: MigrationTable): string {
  const conditions = [`${ident(table.key)} IS NULL`];
  const timestamps: string[] = [];
  for (const column of table.columns) {
    const c = ident(column.name);
    const loose = looseCondition(column);
    if (loose) conditions.push(loose.sql);
    if (column.kind === 'text') conditions.push(`typeof(${c}) IN ('integer', 'real', 'blob')`);
    if (column.kind === 'timestamp') timestamps.push(`coalesce(sum(CASE substr(${c}, 11, 1) WHEN 'T' THEN 1 WHEN ' ' THEN ${LOW} ELSE 0 END), 0)`);
  }
  return `SELECT count(*), count(*) FILTER (WHERE ${conditions.map((c) => `(${c})`).join(' OR ')})${timestamps.map((t) => `, ${t}`).join('')}
    FROM ${ident(table.name)}`;
}

/** The table's statistics: row count, findings per column, timestamp formats (as profileAggregateSql names them). */
export function scanTable(db: SqliteDatabase, table: MigrationTable): Record<string, number> {
  const quick = db.prepare(quickScanSql(table)).raw(true).get() as number[];
  // A table of 2^32 rows or more could carry over between the packed counts: count those the slow way.
  if (quick[1]! > 0 || quick[0]! >= LOW) return db.prepare(profileAggregateSql(table)).get() as Record<string, number>;
  const stats: Record<string, number> = { rows: quick[0]!, [statName(table.key, 'null-key')]: 0 };
  let at = 2;
  for (const column of table.columns) {
    const loose = looseCondition(column);
    if (loose) stats[statName(column.name, loose.kind)] = 0;
    if (column.kind === 'text') stats[statName(column.name, 'not-text')] = 0;
    if (column.kind === 'timestamp') {
      const packed = quick[at++]!;
      stats[statName(column.name, 'iso')] = packed % LOW;
      stats[statName(column.name, 'sqlite')] = Math.floor(packed / LOW);
    }
  }
  return stats;
}
