/** translate(): one SQLite statement → its PostgreSQL form, dispatched on the statement's verb. */
import { sqliteError } from '../adapter/errors';
import { fail, type Ctx } from './context';
import { buildTree, sigNodes, type Node } from './nodes';
import { normalizeStatement } from './normalize';
import { applyOverride } from './override';
import { readParams, SlotTable, type ParamInfo } from './params';
import { render } from './render';
import { splitStatements } from './split';
import { emptyScope } from './scope';
import { translateDdl } from './statements/ddl';
import { translateDml, type DmlResult } from './statements/dml';
import { rowSources, rowValueClasses, wholeSource, type RowSource } from './statements/row-steps';
import { translatePragma } from './statements/pragma';
import { translateTransaction } from './statements/transaction';
import { isTrivia, tokenize, type Token } from './tokenizer';
import type { Translation, ValueClasses } from './types';
import type { SchemaCatalog } from '../schema/catalog';

export interface TranslateOptions {
  /** REGISTRY_SQL_OVERRIDES: normalised SQLite statement → PostgreSQL statement. */
  overrides?: Map<string, string>;
  /**
   * The value classes of the parameters bound: each parameter no column or operator gives a type
   * takes the type of its value's SQLite storage class (a number is a double precision, a Buffer
   * a bytea), as SQLite computes with the value as bound.
   */
  valueClasses?: ValueClasses;
}

/** The PostgreSQL type of each SQLite storage class of a bound value (NULL: none, the context's). */
const CLASS_TYPE: Record<string, string | undefined> = { i: 'bigint', r: 'double precision', f: 'double precision', t: 'text', b: 'bytea' };

/** Notes on each parameter token the type of the value bound for it. */
function noteValueTypes(tokens: Token[], params: ParamInfo, classes: ValueClasses): void {
  for (const t of tokens) {
    if (t.type !== 'param') continue;
    const source = params.sources.get(t);
    const cls = source && classes.classOf(source);
    if (cls === undefined) continue;
    const valueType = CLASS_TYPE[cls];
    t.note = { ...t.note, valueClass: cls, ...(valueType ? { valueType } : {}) };
  }
}

/** The tokens of exactly one statement, without the trailing semicolons. */
function oneStatement(sql: string): Token[] {
  const tokens = tokenize(sql);
  let end = tokens.length;
  while (end > 0 && (isTrivia(tokens[end - 1]) || tokens[end - 1].type === 'semi')) end--;
  // Comments right after the last token belong to the last result column's name in SQLite.
  while (end < tokens.length && isTrivia(tokens[end])) end++;
  while (end > 0 && tokens[end - 1].type === 'ws') end--;
  const body = tokens.slice(0, end);
  if (body.some((t) => t.type === 'semi') && splitStatements(sql).length > 1) {
    fail({ sql }, 'more than one statement', 'prepare() takes one statement; use exec() for several.');
  }
  if (!body.some((t) => !isTrivia(t))) fail({ sql }, 'an empty statement', 'there is no SQL to run.');
  refuseForeignTokens(body);
  return body;
}

/**
 * Text SQLite's tokenizer refuses but PostgreSQL's reads: a number run into a name (`1OFFSET`,
 * `1.5e`) and the `::` cast. Refused at prepare with SQLite's own message.
 */
function refuseForeignTokens(tokens: Token[]): void {
  tokens.forEach((t, k) => {
    const next = tokens[k + 1];
    if (t.type === 'number' && next?.type === 'word' && next.start === t.start + t.text.length) {
      throw sqliteError(`unrecognized token: "${t.text}${next.text}"`, 'SQLITE_ERROR');
    }
    if (t.type === 'op' && t.text === '::') throw sqliteError('unrecognized token: ":"', 'SQLITE_ERROR');
  });
}

/** `whole` run as one statement per VALUES row (Translation.steps). */
function inSteps(whole: Translation, rows: RowSource[], catalog: SchemaCatalog, options: TranslateOptions): Translation {
  const steps: NonNullable<Translation['steps']> = [];
  const slots: Translation['slots'] = [];
  let valueTyped = false;
  const notMirrorable = new Set(whole.notMirrorable ?? []);
  for (const row of rows) {
    const valueClasses = options.valueClasses && rowValueClasses(row, options.valueClasses);
    const t = translate(row.sql, catalog, { ...options, ...(valueClasses ? { valueClasses } : {}) });
    steps.push({ text: t.text, slots: t.slots.length });
    for (const slot of t.slots) slots.push({ ...slot, source: wholeSource(row, slot.source) });
    if (t.valueTyped) valueTyped = true;
    for (const reason of t.notMirrorable ?? []) notMirrorable.add(reason);
  }
  const out: Translation = { ...whole, slots, steps };
  delete out.rowidGiven;
  if (valueTyped) out.valueTyped = true;
  if (notMirrorable.size > 0) out.notMirrorable = [...notMirrorable];
  return out;
}

export function translate(sql: string, catalog: SchemaCatalog, options: TranslateOptions = {}): Translation {
  const tokens = oneStatement(sql);
  const params = readParams(tokens);
  if (options.valueClasses) noteValueTypes(tokens, params, options.valueClasses);
  const ctx: Ctx = { sql, catalog, params, scope: emptyScope(), ddl: false, notMirrorable: [] };
  const tree = buildTree(tokens, sql);
  const override = options.overrides?.get(normalizeStatement(sql));
  if (override !== undefined) return applyOverride(override, tree, ctx);
  const verb = (sigNodes(tree)[0] as Token).value;
  const base = { source: sql, slots: [] as Translation['slots'], namedParams: params.namedParams, positionalCount: params.positionalCount, ordered: false, changesSchema: false, tables: [] as string[] };
  const finish = (nodes: Node[], rest: Omit<Translation, 'source' | 'text' | 'slots' | 'namedParams' | 'positionalCount'>, given?: DmlResult['rowidGiven']): Translation => {
    const slots = new SlotTable();
    const text = render(nodes, { ctx, slots });
    const t: Translation = { ...base, ...rest, text, slots: slots.slots };
    // The same INSERT numbered by one more parameter, without the RETURNING.
    const at = given ? text.lastIndexOf(given.expression) : -1;
    if (given && at !== -1 && text.endsWith(given.returning)) {
      const numbered = `${text.slice(0, at)}$${slots.slots.length + 1}${text.slice(at + given.expression.length, text.length - given.returning.length)}`;
      t.rowidGiven = { text: numbered, table: given.table };
    }
    if (slots.valueTyped) t.valueTyped = true;
    if (options.valueClasses) t.valueClasses = options.valueClasses.key;
    if (ctx.notMirrorable.length > 0) t.notMirrorable = [...new Set(ctx.notMirrorable)];
    return t;
  };
  switch (verb) {
    case 'BEGIN': case 'COMMIT': case 'END': case 'ROLLBACK': case 'SAVEPOINT': case 'RELEASE': {
      const t = translateTransaction(tree, ctx);
      return finish([{ kind: 'tpl', parts: [t.text] }], { kind: 'transaction', transaction: t.op, reader: false, readonly: true, ordered: false, tables: [], changesSchema: false });
    }
    case 'PRAGMA': {
      const p = translatePragma(tree, ctx);
      return finish([{ kind: 'tpl', parts: [p.text] }], { kind: 'pragma', reader: p.reader, readonly: p.readonly, ordered: false, tables: p.tables, changesSchema: false, ...(p.noop ? { noop: true } : {}) });
    }
    case 'CREATE': case 'DROP': case 'ALTER': {
      const d = translateDdl(tree, ctx);
      return finish(d.nodes, { kind: 'ddl', reader: false, readonly: false, ordered: false, tables: d.tables, changesSchema: true });
    }
    case 'SELECT': case 'WITH': case 'VALUES': case 'INSERT': case 'REPLACE': case 'UPDATE': case 'DELETE': {
      const rows = verb === 'INSERT' || verb === 'REPLACE' ? rowSources(tokens, tree, ctx) : undefined;
      const d = translateDml(tree, ctx);
      const t = finish(d.nodes, {
        kind: d.kind, reader: d.reader, readonly: d.kind === 'select', ordered: d.ordered,
        tables: [...ctx.scope.tables], changesSchema: false, ...(d.columnNames ? { columnNames: d.columnNames } : {}),
        ...(d.jsonScalarColumns ? { jsonScalarColumns: d.jsonScalarColumns } : {}),
        ...(d.echoColumns ? { echoColumns: d.echoColumns } : {}),
        ...(d.rowidReturning ? { rowidReturning: true } : {}),
      }, d.rowidGiven);
      return rows ? inSteps(t, rows, catalog, options) : t;
    }
    case 'VACUUM': case 'ANALYZE': case 'REINDEX':
      // Storage maintenance of the SQLite file; PostgreSQL's autovacuum does this job.
      return finish([{ kind: 'tpl', parts: ['SELECT 1 WHERE false'] }], { kind: 'other', reader: false, readonly: true, ordered: false, tables: [], changesSchema: false, noop: true });
    case 'ATTACH': case 'DETACH': case 'EXPLAIN':
      return fail(ctx, verb, 'it only exists in SQLite.');
    default:
      // Not a statement at all (a typo such as SELEC): SQLite's own error, as prepare() gives it there.
      throw sqliteError(`near "${(sigNodes(tree)[0] as Token).text}": syntax error`, 'SQLITE_ERROR');
  }
}
