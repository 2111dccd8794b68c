/**
 * PRAGMA: the ones with a meaning on PostgreSQL are answered from its catalog (table_info,
 * index_list, foreign_keys, user_version); the tuning ones (journal_mode, synchronous, cache_size,
 * ...) are harmless no-ops that answer what SQLite would; `foreign_keys = OFF` cannot be honoured
 * (PostgreSQL always enforces foreign keys) and says so. SQLite ignores unknown pragmas: so do we.
 */
import { fail, quoteIdent, quoteLiteral, type Ctx } from '../context';
import { REGISTRY_META_TABLE, registryMetaDdl } from '../meta';
import { isGroup, isOp, isType, sigNodes, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import { indexListSql, tableInfoSql } from './pragma-catalog';

export interface PragmaResult {
  text: string;
  reader: boolean;
  readonly: boolean;
  noop: boolean;
  tables: string[];
}

/** What a read of each tuning pragma answers (column name, value), as better-sqlite3 shows it. */
const CONSTANTS: Record<string, [string, string]> = {
  journal_mode: ['journal_mode', "'wal'"], synchronous: ['synchronous', '2'], busy_timeout: ['timeout', '5000'],
  cache_size: ['cache_size', '-2000'], temp_store: ['temp_store', '0'], mmap_size: ['mmap_size', '0'],
  page_size: ['page_size', '4096'], encoding: ['encoding', "'UTF-8'"], application_id: ['application_id', '0'],
  auto_vacuum: ['auto_vacuum', '0'], locking_mode: ['locking_mode', "'normal'"], recursive_triggers: ['recursive_triggers', '0'],
  secure_delete: ['secure_delete', '0'], legacy_alter_table: ['legacy_alter_table', '0'], defer_foreign_keys: ['defer_foreign_keys', '0'],
  integrity_check: ['integrity_check', "'ok'"], quick_check: ['quick_check', "'ok'"], schema_version: ['schema_version', '0'],
  data_version: ['data_version', '1'], page_count: ['page_count', '0'], freelist_count: ['freelist_count', '0'],
  foreign_keys: ['foreign_keys', '1'], wal_autocheckpoint: ['wal_autocheckpoint', '1000'],
};
/** Pragmas whose assignment still answers a row (the new value). */
const ASSIGN_ANSWERS = new Set(['journal_mode', 'busy_timeout', 'mmap_size', 'locking_mode']);

const NOOP = 'SELECT 1 WHERE false';

function readPragma(tree: Node[], ctx: Ctx): { name: string; value?: string; arg?: string } {
  const s = sigNodes(tree).slice(1).filter((n) => !isType(n, 'semi'));
  let i = 0;
  if (isOp(s[1], '.')) i = 2; // main.user_version
  if (!isName(s[i])) fail(ctx, 'PRAGMA', 'the pragma name is missing.');
  const name = nameOf(s[i] as Token).toLowerCase();
  const rest = s.slice(i + 1);
  const literal = (nodes: Node[]): string => nodes.map((n) => (n.kind === 'token' ? (n.type === 'string' || n.type === 'qident' ? n.value : n.text) : '')).join('');
  if (isOp(rest[0], '=')) return { name, value: literal(rest.slice(1)) };
  if (isGroup(rest[0])) return { name, arg: literal(sigNodes(rest[0].items)) };
  return { name };
}

export function translatePragma(tree: Node[], ctx: Ctx): PragmaResult {
  const { name, value, arg } = readPragma(tree, ctx);
  const schema = ctx.catalog.schema;
  const row = (col: string, v: string): PragmaResult => ({ text: `SELECT ${v} AS ${quoteIdent(col)}`, reader: true, readonly: true, noop: false, tables: [] });
  const nothing = (readonly: boolean): PragmaResult => ({ text: NOOP, reader: false, readonly, noop: true, tables: [] });
  if (name === 'table_info' || name === 'table_xinfo') return { ...row('', ''), text: tableInfoSql(schema, arg ?? value ?? ''), tables: [(arg ?? '').toLowerCase()] };
  if (name === 'index_list') return { ...row('', ''), text: indexListSql(schema, arg ?? value ?? ''), tables: [(arg ?? '').toLowerCase()] };
  if (name === 'foreign_key_check') return { ...row('', ''), text: 'SELECT CAST(NULL AS text) AS "table", CAST(NULL AS bigint) AS rowid, CAST(NULL AS text) AS parent, CAST(NULL AS integer) AS fkid WHERE false' };
  if (name === 'optimize') return { ...row('', ''), text: 'SELECT CAST(NULL AS integer) AS optimize WHERE false' };
  if (name === 'wal_checkpoint') return { ...row('', ''), text: 'SELECT 0 AS busy, 0 AS log, 0 AS checkpointed', readonly: false };
  if (name === 'user_version') return userVersion(schema, value, ctx);
  if (name === 'foreign_keys' && value !== undefined) {
    if (['off', '0', 'false', 'no'].includes(value.toLowerCase())) {
      fail(ctx, 'PRAGMA foreign_keys = OFF', 'PostgreSQL always enforces foreign keys and cannot turn them off; load rows in dependency order, or in one transaction (the foreign keys are DEFERRABLE: SET CONSTRAINTS ALL DEFERRED).');
    }
    return nothing(true);
  }
  if (name === 'defer_foreign_keys' && value !== undefined) {
    const on = ['on', '1', 'true', 'yes'].includes(value.toLowerCase());
    return { text: on ? 'SET CONSTRAINTS ALL DEFERRED' : 'SET CONSTRAINTS ALL IMMEDIATE', reader: false, readonly: true, noop: false, tables: [] };
  }
  const constant = CONSTANTS[name];
  if (!constant) return nothing(value === undefined);
  if (value === undefined) return row(constant[0], constant[1]);
  if (!ASSIGN_ANSWERS.has(name)) return nothing(true);
  const answer = /^-?\d+$/.test(value) ? value : quoteLiteral(value.toLowerCase());
  return { ...row(constant[0], answer), readonly: name !== 'journal_mode' };
}

/** PRAGMA user_version, kept in "<schema>"._registry_meta (see meta.ts). */
function userVersion(schema: string, value: string | undefined, ctx: Ctx): PragmaResult {
  const table = `${quoteIdent(schema)}.${REGISTRY_META_TABLE}`;
  if (value === undefined) {
    // Reading must work before the table exists: query_to_xml runs the query only when it does.
    const inner = quoteLiteral(`SELECT value AS v FROM ${table} WHERE key = 'user_version'`);
    return {
      text:
        `SELECT COALESCE(CASE WHEN to_regclass(${quoteLiteral(table)}) IS NOT NULL THEN ` +
        `CAST(CAST((xpath('/row/v/text()', query_to_xml(${inner}, false, true, '')))[1] AS text) AS integer) END, 0) AS user_version`,
      reader: true, readonly: true, noop: false, tables: [],
    };
  }
  if (!/^[+-]?\d+$/.test(value)) fail(ctx, `PRAGMA user_version = ${value}`, 'the value must be an integer.');
  const v = String(Number.parseInt(value, 10));
  return {
    text: `DO $$BEGIN ${registryMetaDdl(schema)}; INSERT INTO ${table} (key, value) VALUES ('user_version', '${v}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value; END$$`,
    reader: false, readonly: false, noop: false, tables: [],
  };
}
