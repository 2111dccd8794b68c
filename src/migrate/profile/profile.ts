/**
 * Profiles the registry before a copy (docs/cli.md, backfill): orphan rows (references SQLite never enforced),
 * loose values PostgreSQL would refuse (text in an INTEGER column, invalid JSON, unparseable
 * timestamps, booleans other than 0/1, rows without a key), and each timestamp column's text format.
 * Reads inside the caller's snapshot; SQLite does the scanning, one cheap pass per table (scan.ts).
 */
import { learnTimestampFormat } from '../../schema';
import { compareKeys, ident, MIGRATION_TABLES, type MigrationTable, type SqliteDatabase } from '../core';
import { type LooseFinding, type OrphanFinding, type RegistryProfile, type TimestampColumnProfile } from '../results';
import { looseCondition, orphanSql, statName } from './sql';
import { scanTable } from './scan';
export type { LooseFinding, OrphanFinding, TimestampColumnProfile, RegistryProfile };


export function profileRegistry(db: SqliteDatabase): RegistryProfile {
  return mergeProfiles(MIGRATION_TABLES.map((table) => profileTable(db, table)));
}

/** One table's part of the profile (the backfill profiles tables on two readers of one snapshot at once). */
export function profileTable(db: SqliteDatabase, table: MigrationTable): RegistryProfile {
  const profile: RegistryProfile = { rowsByTable: {}, totalRows: 0, orphans: [], loose: [], timestamps: [], notes: [] };
  const stats = scanTable(db, table);
  profile.rowsByTable[table.name] = stats.rows!;
  profile.totalRows += stats.rows!;
  const nullKeys = stats[statName(table.key, 'null-key')]!;
  if (nullKeys > 0) profile.loose.push({ table: table.name, column: table.key, kind: 'null-key', count: nullKeys, keys: [] });
  for (const column of table.columns) {
    const loose = looseCondition(column);
    const count = loose ? stats[statName(column.name, loose.kind)]! : 0;
    if (loose && count > 0) {
      const keys = db.prepare(`SELECT ${ident(table.key)} FROM ${ident(table.name)} WHERE ${loose.sql} AND ${ident(table.key)} IS NOT NULL ORDER BY 1`).pluck().all() as string[];
      profile.loose.push({ table: table.name, column: column.name, kind: loose.kind, count, keys });
    }
    if (column.kind === 'timestamp') profile.timestamps.push(timestampProfile(table.name, column.name, stats, profile.notes));
    const notText = column.kind === 'text' ? stats[statName(column.name, 'not-text')]! : 0;
    if (notText > 0) profile.notes.push(`${table.name}.${column.name}: ${notText} number or blob value(s) in a TEXT column, copied as SQLite's text of them`);
    if (column.references) {
      const rows = (db.prepare(orphanSql(table, column)).raw().all() as Array<[string, string]>).map(([key, value]) => ({ key, value: String(value) }))
        .sort((a, b) => compareKeys(a.key, b.key));
      if (rows.length > 0) {
        profile.orphans.push({ table: table.name, column: column.name, references: `${column.references.table}.${column.references.column}`, count: rows.length, rows });
      }
    }
  }
  return profile;
}

/** The tables' parts as one profile, in the order given (the tables' order, parents first). */
export function mergeProfiles(parts: readonly RegistryProfile[]): RegistryProfile {
  const profile: RegistryProfile = { rowsByTable: {}, totalRows: 0, orphans: [], loose: [], timestamps: [], notes: [] };
  for (const part of parts) {
    Object.assign(profile.rowsByTable, part.rowsByTable);
    profile.totalRows += part.totalRows;
    profile.orphans.push(...part.orphans);
    profile.loose.push(...part.loose);
    profile.timestamps.push(...part.timestamps);
    profile.notes.push(...part.notes);
  }
  return profile;
}

function timestampProfile(table: string, column: string, stats: Record<string, number>, notes: string[]): TimestampColumnProfile {
  const iso = stats[statName(column, 'iso')]!;
  const sqlite = stats[statName(column, 'sqlite')]!;
  if (iso > 0 && sqlite > 0) {
    notes.push(`${table}.${column}: mixed timestamp formats (${iso} ISO-8601, ${sqlite} SQLite text); each is copied as the instant it names`);
  }
  return { table, column, iso, sqlite, format: learnTimestampFormat(majorityExemplars(iso, sqlite)) };
}

/** A three-value stand-in for the column with the same majority, so learnTimestampFormat keeps deciding ties. */
function majorityExemplars(iso: number, sqlite: number): string[] {
  const ISO = '2000-01-01T00:00:00.000Z';
  const SQLITE = '2000-01-01 00:00:00';
  if (iso === sqlite) return [ISO, SQLITE];
  return iso > sqlite ? [ISO, ISO, SQLITE] : [ISO, SQLITE, SQLITE];
}

/** Number of findings that stop a copy until the operator chooses what to do. */
export function problemCount(profile: RegistryProfile): { orphans: number; loose: number } {
  return {
    orphans: profile.orphans.reduce((n, o) => n + o.count, 0),
    loose: profile.loose.reduce((n, l) => n + l.count, 0),
  };
}
