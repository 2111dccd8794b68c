/**
 * SQLite's rowid on PostgreSQL. Every table SQLite gives a rowid gets one here:
 * - a table without an INTEGER PRIMARY KEY gets a hidden column `_rowid_ bigint NOT NULL` (last,
 *   with a unique index): the catalog knows it, the translator never shows it (`SELECT *` is
 *   expanded without it, PRAGMA table_info and sqlite_master leave it out);
 * - a table with an INTEGER PRIMARY KEY uses that column, as SQLite does (it is the rowid's alias).
 * `_rowid_` is one of SQLite's own names of the rowid: the migration tools read and write it on
 * both sides by that one name (SQLite: `SELECT "_rowid_" FROM t` is the rowid).
 * A BEFORE INSERT trigger (called only for a row without a rowid: its WHEN is checked without
 * calling the function) gives such a row SQLite's next rowid: the largest rowid of the
 * table plus one (1 for an empty table), read when the row is inserted, so each row of a multi-row
 * INSERT or INSERT ... SELECT gets the next one, and a row an ON CONFLICT skips takes none. Writers
 * hold the write lock (one writer at a time across processes), so two writers never read the same
 * largest rowid. The trigger is named `_sqlite_rowid` and its argument names the rowid column:
 * that is how the catalog finds the rowid when it reads the schema.
 * Not reproduced: SQLite's random rowid once the largest is 9223372036854775807 (PostgreSQL fails
 * with `bigint out of range`), and AUTOINCREMENT's never-reused numbers (max + 1 as without it).
 */
import { quoteIdent, quoteLiteral } from '../policy/identifiers';

export const ROWID_COLUMN = '_rowid_';
export const ROWID_TRIGGER = '_sqlite_rowid';
/** The hidden column's unique index is named `<table>_sqlite_rowid` (PRAGMAs leave it out). */
export const ROWID_INDEX_SUFFIX = '\\_sqlite\\_rowid';


/**
 * The next rowid as an expression, for the translator to put into a one-row INSERT itself (no
 * trigger call: the cheapest form of the most common insert). `table` is quoted.
 */
export function nextRowidSql(quotedTable: string, column: string): string {
  return `(SELECT COALESCE(max(${quoteIdent(column)}), 0) + 1 FROM ${quotedTable})`;
}

/** The hidden column's definition inside CREATE TABLE. */
export function hiddenRowidColumnDdl(): string {
  return `${quoteIdent(ROWID_COLUMN)} bigint NOT NULL`;
}

/**
 * What makes `column` of `table` (in `schema`, unquoted names) the table's rowid: the unique index
 * (for the hidden column), the function that assigns the next rowid and its trigger. One statement
 * (a DO block) that does nothing when the trigger exists, so the engine's `CREATE TABLE IF NOT
 * EXISTS` at every start does not take the table's lock again, nor when the column does not
 * exist (a table created before the rowid was kept: it goes on without one).
 */
export function rowidSetupDdl(schema: string, table: string, column: string): string {
  const qt = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const qc = quoteIdent(column);
  const fn = `${quoteIdent(schema)}.${quoteIdent(`_rowid_${table}`.slice(0, 63))}`;
  const index = column === ROWID_COLUMN
    ? `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(`${table.slice(0, 50)}${ROWID_TRIGGER}`)} ON ${qt} (${qc}); `
    : '';
  // The function's body is static SQL: PL/pgSQL plans it once per session.
  const body =
    `BEGIN IF NEW.${qc} IS NULL THEN NEW.${qc} := COALESCE((SELECT max(${qc}) FROM ${qt}), 0) + 1; END IF; RETURN NEW; END`;
  return (
    `DO $sra_rowid$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = ${quoteLiteral(qt)}::regclass ` +
    `AND tgname = ${quoteLiteral(ROWID_TRIGGER)}) AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = ${quoteLiteral(qt)}::regclass ` +
    `AND attname = ${quoteLiteral(column)} AND NOT attisdropped) THEN ${index}` +
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${dollar(body)}; ` +
    `CREATE TRIGGER ${quoteIdent(ROWID_TRIGGER)} BEFORE INSERT ON ${qt} FOR EACH ROW WHEN (NEW.${qc} IS NULL) EXECUTE FUNCTION ${fn}(${quoteLiteral(column)}); ` +
    `END IF; END $sra_rowid$`
  );
}

/**
 * After `ALTER TABLE ... RENAME`: the rowid's function reads its table by name, so it is made again
 * for the table's new name (or for its INTEGER PRIMARY KEY's new name), with its trigger; and the
 * indexes PostgreSQL named after the table for its constraints and the rowid (`t_pkey`, `t_k_key`,
 * `t_sqlite_rowid`) take the new name, so that a new table of the old name can make its own (an
 * index named by the application keeps its name, as in SQLite).
 * `oldTable` and `newTable` are PostgreSQL's names (unquoted), equal for a renamed column.
 */
export function rowidRenameDdl(schema: string, oldTable: string, newTable: string, column: string): string {
  const qs = quoteIdent(schema);
  const qt = `${qs}.${quoteIdent(newTable)}`;
  const oldFn = `${qs}.${quoteIdent(`_rowid_${oldTable}`.slice(0, 63))}`;
  const prefix = `${oldTable}_`;
  const indexes = oldTable === newTable
    ? ''
    : `FOR r IN SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid ` +
      `WHERE i.indrelid = ${quoteLiteral(qt)}::regclass AND left(c.relname, ${prefix.length}) = ${quoteLiteral(prefix)} ` +
      `AND (EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid) OR c.relname LIKE '%${ROWID_INDEX_SUFFIX}') LOOP ` +
      `EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', ${quoteLiteral(schema)}, r.relname, left(${quoteLiteral(newTable)} || substr(r.relname, ${prefix.length}), 63)); END LOOP; `;
  return (
    `DO $sra_rename$ DECLARE r record; BEGIN ${indexes}` +
    `DROP TRIGGER IF EXISTS ${quoteIdent(ROWID_TRIGGER)} ON ${qt}; DROP FUNCTION IF EXISTS ${oldFn}(); END $sra_rename$;\n` +
    rowidSetupDdl(schema, newTable, column)
  );
}

function dollar(body: string): string {
  return `$sra_fn$ ${body} $sra_fn$`;
}

/**
 * The rowid column of each table (by oid), as the triggers name them: for the catalog reader; and
 * whether the table has triggers or rules of its own besides the rowid's (`others`): an INSERT into
 * it may then write other rows too (foreign keys' internal triggers only check).
 */
export const ROWID_COLUMNS_SQL = `
SELECT t.tgrelid::int8 AS oid, convert_from(substring(t.tgargs from 1 for position('\\000'::bytea in t.tgargs) - 1), 'UTF8') AS rowid,
  c.relhasrules OR EXISTS (SELECT 1 FROM pg_catalog.pg_trigger o WHERE o.tgrelid = t.tgrelid AND o.tgname <> '${ROWID_TRIGGER}' AND NOT o.tgisinternal) AS others
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND t.tgname = '${ROWID_TRIGGER}' AND t.tgnargs = 1`;
