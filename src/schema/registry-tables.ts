/**
 * The registry's tables as data, read from the SQLite DDL so that DDL stays the one source.
 * The parser covers exactly the column and table constraints that DDL uses and refuses the rest.
 */
import { REGISTRY_SQLITE_DDL } from './registry-sqlite';

export interface RegistryColumn {
  name: string;
  /** The SQLite declared type, upper case (`TEXT`, `JSON`, `TIMESTAMP`, ...). */
  declaredType: string;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** The default as written in SQLite, or undefined. */
  default?: string;
  references?: { table: string; column: string };
}

export interface RegistryTable {
  name: string;
  columns: RegistryColumn[];
  /** Table-level UNIQUE(...) constraints. */
  uniques: string[][];
}

const TOKEN = /'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|[(),;]/g;

export function parseSqliteTables(ddl: string): RegistryTable[] {
  const tokens = ddl.replace(/--[^\n]*/g, '').match(TOKEN) ?? [];
  const tables: RegistryTable[] = [];
  let i = 0;
  const expect = (word: string): void => {
    if (tokens[i]?.toUpperCase() !== word) throw new Error(`registry DDL: expected ${word} at token ${i} ("${tokens[i]}")`);
    i++;
  };
  while (i < tokens.length) {
    expect('CREATE');
    expect('TABLE');
    const table: RegistryTable = { name: tokens[i++]!, columns: [], uniques: [] };
    expect('(');
    for (;;) {
      if (tokens[i]?.toUpperCase() === 'UNIQUE' && tokens[i + 1] === '(') {
        i += 2;
        const columns: string[] = [];
        while (tokens[i] !== ')') if (tokens[i++] !== ',') columns.push(tokens[i - 1]!);
        i++;
        table.uniques.push(columns);
      } else {
        i = parseColumn(tokens, i, table);
      }
      const separator = tokens[i++];
      if (separator === ')') break;
      if (separator !== ',') throw new Error(`registry DDL: unexpected "${separator}" in table ${table.name}`);
    }
    expect(';');
    tables.push(table);
  }
  return tables;
}

function parseColumn(tokens: string[], start: number, table: RegistryTable): number {
  let i = start;
  const column: RegistryColumn = { name: tokens[i++]!, declaredType: tokens[i++]!.toUpperCase(), notNull: false, primaryKey: false, unique: false };
  for (;;) {
    const word = tokens[i]?.toUpperCase();
    if (word === 'PRIMARY' && tokens[i + 1]?.toUpperCase() === 'KEY') {
      column.primaryKey = true;
      i += 2;
    } else if (word === 'NOT' && tokens[i + 1]?.toUpperCase() === 'NULL') {
      column.notNull = true;
      i += 2;
    } else if (word === 'UNIQUE') {
      column.unique = true;
      i += 1;
    } else if (word === 'DEFAULT') {
      column.default = tokens[i + 1]!;
      i += 2;
    } else if (word === 'REFERENCES' && tokens[i + 2] === '(' && tokens[i + 4] === ')') {
      column.references = { table: tokens[i + 1]!, column: tokens[i + 3]! };
      i += 5;
    } else if (word === ',' || word === ')') {
      table.columns.push(column);
      return i;
    } else {
      throw new Error(`registry DDL: unsupported "${tokens[i]}" in ${table.name}.${column.name}`);
    }
  }
}

/** The 8 tables, in the order of the DDL (parents before children). */
export const REGISTRY_TABLE_DEFS: readonly RegistryTable[] = parseSqliteTables(REGISTRY_SQLITE_DDL);
