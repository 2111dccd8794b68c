/**
 * INSERT conflict clauses, with SQLite's semantics:
 * - OR REPLACE / REPLACE: every row that conflicts with the new row on ANY unique key (primary key
 *   or UNIQUE) is deleted, then the row is inserted, so omitted columns take their defaults (not the
 *   old values, as ON CONFLICT DO UPDATE would keep). One statement does both:
 *     WITH "_new"(cols) AS (VALUES (...)), "_del" AS (DELETE FROM t AS "_old" USING "_new"
 *       WHERE "_old".pk = "_new".pk OR ("_old".a, "_old".b) = ("_new".a, "_new".b))
 *       RETURNING 1)
 *     INSERT INTO t (cols) SELECT cols FROM "_new" WHERE (SELECT count(*) FROM "_del") >= 0
 *   The INSERT reads "_del" (an InitPlan, run once before the first row): PostgreSQL runs a
 *   data-modifying CTE nobody reads only after the main statement, which would insert first and
 *   fail on the unique key. The unique check of the INSERT ignores rows its own statement deleted, the command tag counts
 *   only inserted rows (SQLite's `changes` does not count REPLACE's deletions either), and foreign
 *   keys, DEFERRABLE and checked at the end of the statement, see the new parent row: a replaced
 *   parent keeps its children, as SQLite's end-of-statement check allows.
 *   Two rows of one multi-row VALUES that conflict with each other run as one statement per row
 *   (row-steps.ts). Not kept: a unique key a column of which is omitted from the column list is
 *   not checked.
 * - OR IGNORE: ON CONFLICT DO NOTHING, and rows whose NOT NULL columns get NULL are skipped too
 *   (SQLite's IGNORE skips them). CHECK violations still fail (documented difference).
 * - OR ABORT / OR FAIL: a plain INSERT (ABORT is the default; FAIL differs only in keeping the
 *   earlier rows of a multi-row statement). OR ROLLBACK: not supported (it would end the
 *   transaction behind the caller's back).
 */
import { findColumn, type TableInfo } from '../../schema/catalog';
import { fail, quoteIdent, type Ctx } from '../context';
import { sigNodes, splitCommas, tpl, trimTrivia, type Group, type Node } from '../nodes';
import type { Token } from '../tokenizer';
import { readInsert, valuesRows, type InsertParts } from './insert-parts';

function blank(nodes: Node[], parts: InsertParts): void {
  for (const i of parts.conflictTokens) {
    const t = nodes[i] as Token;
    const verb = t.value === 'REPLACE' && i === parts.verbAt;
    t.note = { ...t.note, replace: verb ? 'INSERT' : '' };
    const after = nodes[i + 1];
    if (!verb && after?.kind === 'token' && after.type === 'ws') after.note = { ...after.note, replace: '' };
  }
}

/**
 * The rows of a VALUES list cast to their columns' types. `replacing`: a NULL for a NOT NULL column
 * that has a default becomes the default, as SQLite's REPLACE does.
 */
function typedRows(rows: Group[], columns: string[], table: TableInfo, replacing = false): Node[] {
  const out: Node[] = [];
  rows.forEach((row, r) => {
    const values = splitCommas(row.items).map(trimTrivia);
    const cells: Array<string | Node[]> = [];
    values.forEach((v, i) => {
      const col = findColumn(table, columns[i] ?? '');
      const type = col?.type;
      const cell = type ? ['CAST(', v, ` AS ${type})`] : [v];
      const fallback = replacing && col?.notNull && col.default !== null ? col.default : undefined;
      cells.push(...(i > 0 ? [', '] : []), ...(fallback ? ['COALESCE(', ...cell, `, ${fallback})`] : cell));
    });
    out.push(tpl([r > 0 ? ', (' : '(', ...cells, ')']));
  });
  return out;
}

export function applyConflictClause(nodes: Node[], ctx: Ctx): Node[] {
  const parts = readInsert(nodes, ctx);
  if (parts.conflict === 'rollback') fail(ctx, 'INSERT OR ROLLBACK', 'it would roll back the transaction on a conflict; use a plain INSERT and roll back in the application.');
  if (parts.conflict === undefined) return nodes;
  blank(nodes, parts);
  if (parts.conflict === 'abort' || parts.conflict === 'fail' || !parts.table) return nodes;
  return parts.conflict === 'replace' ? replace(nodes, parts, parts.table, ctx) : ignore(nodes, parts, parts.table);
}

function cols(parts: InsertParts, prefix = ''): string {
  return parts.columns.map((c) => prefix + quoteIdent(c)).join(', ');
}

function replace(nodes: Node[], parts: InsertParts, table: TableInfo, ctx: Ctx): Node[] {
  const provided = new Set(parts.columns.map((c) => c.toLowerCase()));
  const keys = [table.primaryKey, ...table.uniqueKeys].filter((k) => k.length > 0 && k.every((c) => provided.has(c.toLowerCase())));
  if (keys.length === 0) return nodes;
  const rows = valuesRows(nodes, parts);
  const source = nodes.slice(parts.sourceAt, parts.sourceEnd);
  if (!rows && !sigNodes(source).some((n) => n.kind === 'token' && n.value === 'SELECT')) {
    fail(ctx, 'REPLACE ... DEFAULT VALUES', 'name the columns and values.');
  }
  const t = quoteIdent(table.name);
  const match = keys
    .map((k) => (k.length === 1 ? `"_old".${quoteIdent(k[0])} = "_new".${quoteIdent(k[0])}` : `(${k.map((c) => `"_old".${quoteIdent(c)}`).join(', ')}) = (${k.map((c) => `"_new".${quoteIdent(c)}`).join(', ')})`))
    .join(' OR ');
  const prefix = trimTrivia(nodes.slice(0, parts.verbAt));
  let selectList = rows ? cols(parts) : parts.columns.map((c) => `CAST(${quoteIdent(c)} AS ${findColumn(table, c)?.type ?? 'text'})`).join(', ');
  const head = prefix.length > 0 ? [...prefix, tpl([', '])] : [tpl(['WITH '])];
  let body = rows ? [tpl(['VALUES ']), ...typedRows(rows, parts.columns, table, true)] : source;
  let columns = cols(parts);
  // SQLite numbers the new row before it deletes the rows it replaces (the largest rowid may be
  // among them): the rowids are read with the table as it was, the k-th row getting max + k.
  if (table.rowid && !provided.has(table.rowid.toLowerCase())) {
    const r = quoteIdent(table.rowid);
    body = [tpl([`SELECT "_v".*, (SELECT COALESCE(max(${r}), 0) FROM ${t}) + row_number() OVER () FROM (`]), ...body, tpl([') AS "_v"'])];
    columns += `, ${r}`;
    selectList += `, ${r}`;
  }
  return [
    ...head,
    tpl([`"_new"(${columns}) AS (`]),
    ...body,
    tpl([`), "_del" AS (DELETE FROM ${t} AS "_old" USING "_new" WHERE ${match} RETURNING 1) INSERT INTO ${t} (${columns}) SELECT ${selectList} FROM "_new" WHERE (SELECT count(*) FROM "_del") >= 0`]),
    ...(parts.sourceEnd < nodes.length ? [tpl([' ']), ...trimTrivia(nodes.slice(parts.sourceEnd))] : []),
  ];
}

function ignore(nodes: Node[], parts: InsertParts, table: TableInfo): Node[] {
  const hasUpsert = parts.sourceEnd < nodes.length && parts.sourceEnd !== parts.returningAt;
  if (hasUpsert) return nodes; // the statement's own ON CONFLICT decides
  const rows = valuesRows(nodes, parts);
  const notNull = parts.columns.filter((c) => findColumn(table, c)?.notNull);
  const tail = parts.sourceEnd < nodes.length ? [tpl([' ']), ...trimTrivia(nodes.slice(parts.sourceEnd))] : [];
  if (!rows || notNull.length === 0) {
    return [...nodes.slice(0, parts.sourceEnd), tpl([' ON CONFLICT DO NOTHING']), ...tail];
  }
  const where = notNull.map((c) => `"_new".${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  return [
    ...nodes.slice(0, parts.sourceAt),
    tpl(['SELECT * FROM (VALUES ']),
    ...typedRows(rows, parts.columns, table),
    tpl([`) AS "_new"(${cols(parts)}) WHERE ${where} ON CONFLICT DO NOTHING`]),
    ...tail,
  ];
}
