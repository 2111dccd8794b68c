/**
 * SQLite's rowid in queries (src/schema/rowid.ts):
 * - `*` and `t.*` never show the hidden rowid column: they are written out as the table's visible
 *   columns, in SQLite's order (a USING or NATURAL join's columns once, from the left table), and
 *   a NATURAL JOIN joins on the visible columns the two tables share (never on the rowid).
 * - A query over one table returns its rows as SQLite's table scan does, in rowid order: the rowid
 *   is appended as the last ORDER BY key (ties of the ORDER BY, and which rows LIMIT keeps). Not
 *   when the query groups, aggregates, is DISTINCT or a compound, or reads several tables: SQLite's
 *   order then depends on its query plan. Where SQLite reads the rows through an index (a WHERE
 *   on an indexed column) its order is the index's, which this does not reproduce.
 */
import { findTable, type TableInfo } from '../../schema/catalog';
import { quoteIdent, type Ctx } from '../context';
import { isGroup, isOp, isType, isWord, nextSig, sigNodes, splitCommas, tpl, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import { isStar, listAfter, listItems } from '../statements/select-list';

const FROM_END = new Set(['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'RETURNING', 'SELECT', 'VALUES', 'DO', 'SET']);
const JOIN_WORDS = new Set(['NATURAL', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'CROSS', 'OUTER', 'JOIN']);
const AGGREGATES = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'TOTAL', 'GROUP_CONCAT', 'STRING_AGG', 'JSON_GROUP_ARRAY', 'JSON_GROUP_OBJECT', 'JSONB_GROUP_ARRAY', 'JSONB_GROUP_OBJECT']);

interface FromItem {
  alias: string;
  table?: TableInfo;
  /** Index of the item's last node (alias or name or group). */
  end: number;
  natural?: number;
  /** Join kind words before the item (LEFT, RIGHT, FULL...). */
  join: string[];
  using?: string[];
}

/** The FROM items after the FROM at `at`, or undefined when one is not a plain table or aliased subquery. */
function fromItems(nodes: Node[], at: number, ctx: Ctx): { items: FromItem[]; end: number } | undefined {
  const items: FromItem[] = [];
  let i = nextSig(nodes, at);
  let join: string[] = [];
  let natural: number | undefined;
  while (i !== -1 && i < nodes.length) {
    const n = nodes[i];
    let alias: string;
    let table: TableInfo | undefined;
    let j = i;
    if (isName(n)) {
      let name = nameOf(n as Token);
      if (isOp(nodes[nextSig(nodes, i)], '.')) {
        j = nextSig(nodes, nextSig(nodes, i));
        if (!isName(nodes[j])) return undefined;
        name = nameOf(nodes[j] as Token);
      }
      if (isGroup(nodes[nextSig(nodes, j)])) return undefined; // table-valued function
      table = findTable(ctx.catalog, name);
      alias = name;
    } else if (isGroup(n)) {
      alias = '';
    } else return undefined;
    let k = nextSig(nodes, j);
    if (isWord(nodes[k], 'AS')) k = nextSig(nodes, k);
    if (isName(nodes[k]) && !JOIN_WORDS.has((nodes[k] as Token).value) && !isWord(nodes[k], 'ON', 'USING')) {
      alias = nameOf(nodes[k] as Token);
      j = k;
      k = nextSig(nodes, k);
    }
    if (alias === '') return undefined;
    const item: FromItem = { alias, table, end: j, join, ...(natural !== undefined ? { natural } : {}) };
    items.push(item);
    if (isWord(nodes[k], 'USING') && isGroup(nodes[nextSig(nodes, k)])) {
      const group = nodes[nextSig(nodes, k)] as { items: Node[] };
      item.using = sigNodes(group.items).filter(isName).map((t) => nameOf(t as Token).toLowerCase());
      k = nextSig(nodes, nextSig(nodes, k));
    } else if (isWord(nodes[k], 'ON')) {
      while (k !== -1 && k < nodes.length && !isType(nodes[k], 'comma') && !(isWord(nodes[k]) && (JOIN_WORDS.has((nodes[k] as Token).value) || FROM_END.has((nodes[k] as Token).value)))) k = nextSig(nodes, k);
    }
    if (k === -1 || k >= nodes.length) return { items, end: nodes.length };
    join = [];
    natural = undefined;
    if (isType(nodes[k], 'comma')) {
      i = nextSig(nodes, k);
      continue;
    }
    if (!(isWord(nodes[k]) && JOIN_WORDS.has((nodes[k] as Token).value))) return { items, end: k };
    while (isWord(nodes[k]) && JOIN_WORDS.has((nodes[k] as Token).value)) {
      const w = (nodes[k] as Token).value;
      if (w === 'NATURAL') natural = k;
      else if (w !== 'JOIN' && w !== 'OUTER') join.push(w);
      k = nextSig(nodes, k);
    }
    i = k;
  }
  return { items, end: nodes.length };
}

function visible(table: TableInfo): string[] {
  return table.columns.map((c) => c.name);
}

/** The columns a NATURAL join of `right` with the items before it shares with them. */
function naturalColumns(left: FromItem[], right: FromItem): string[] | undefined {
  if (!right.table || left.some((l) => !l.table)) return undefined;
  const names = new Set(left.flatMap((l) => visible(l.table!).map((c) => c.toLowerCase())));
  return visible(right.table).filter((c) => names.has(c.toLowerCase()));
}

function qualified(item: FromItem, skip: string[]): string[] {
  return visible(item.table!).filter((c) => !skip.includes(c.toLowerCase())).map((c) => `${quoteIdent(item.alias)}.${quoteIdent(c)}`);
}

/** `*` written out, or undefined when SQLite's `*` cannot be written exactly. */
function starColumns(items: FromItem[]): string[] | undefined {
  const out: string[] = [];
  for (const item of items) {
    const merged = item.using ?? [];
    if (merged.length > 0 && item.join.some((w) => w === 'RIGHT' || w === 'FULL')) return undefined;
    if (item.table) out.push(...qualified(item, merged));
    else if (merged.length > 0) return undefined;
    else out.push(`${quoteIdent(item.alias)}.*`);
  }
  return out;
}

function expandStars(nodes: Node[], sel: number, items: FromItem[]): void {
  const range = listAfter(nodes, sel);
  for (const item of listItems(nodes, range)) {
    if (!isStar(item)) continue;
    const s = sigNodes(item) as Token[];
    if (s.length === 1) {
      const columns = starColumns(items);
      if (columns) s[0].note = { ...s[0].note, replace: columns.join(', ') };
      continue;
    }
    const owner = items.find((it) => it.alias.toLowerCase() === nameOf(s[0]).toLowerCase());
    if (!owner?.table?.rowidHidden) continue;
    s[0].note = { ...s[0].note, replace: qualified(owner, []).join(', ') };
    s[1].note = { ...s[1].note, replace: '' };
    s[2].note = { ...s[2].note, replace: '' };
  }
}

/** Whether SQLite's rows come from a plain scan of the one table, so that rowid order is its order. */
function scanOrdered(nodes: Node[], sel: number, items: FromItem[]): boolean {
  if (items.length !== 1 || !items[0].table?.rowid) return false;
  if (isWord(nodes[nextSig(nodes, sel)], 'DISTINCT') || aggregating.has(nodes[sel] as Token)) return false;
  if (nodes.some((n) => isWord(n, 'UNION', 'EXCEPT', 'INTERSECT'))) return false;
  return !nodes.some((n, i) =>
    i > sel && (isWord(n, 'GROUP', 'OVER', 'WINDOW', 'HAVING') ||
      (isWord(n) && AGGREGATES.has((n as Token).value) && isGroup(nodes[nextSig(nodes, i)]))));
}

/** The ORDER BY leaves no ties: a term is the table's one-column primary key or its rowid, or its terms (and the WHERE) hold a key. */
function orderedByKey(nodes: Node[], sel: number, item: FromItem): boolean {
  const table = item.table!;
  const keys = [table.rowid!.toLowerCase(), ...(table.primaryKey.length === 1 ? [table.primaryKey[0].toLowerCase()] : [])];
  const at = nodes.findIndex((n, i) => i > sel && isWord(n, 'ORDER') && isWord(nodes[nextSig(nodes, i)], 'BY'));
  if (at === -1) return false;
  let end = nextSig(nodes, at) + 1;
  while (end < nodes.length && !isWord(nodes[end], 'LIMIT', 'OFFSET', 'RETURNING', 'ON') && !isType(nodes[end], 'semi')) end++;
  const columns = splitCommas(nodes.slice(nextSig(nodes, at) + 1, end)).map((term) => {
    const s = sigNodes(term).filter((n) => !isWord(n, 'ASC', 'DESC'));
    const last = s[s.length - 1];
    const ref = s.length === 1 || (s.length === 3 && isOp(s[1], '.') && isName(s[0]) && nameOf(s[0] as Token).toLowerCase() === item.alias.toLowerCase());
    return ref && isName(last) ? nameOf(last as Token).toLowerCase() : undefined;
  });
  if (columns.some((c) => c !== undefined && keys.includes(c))) return true;
  // The ORDER BY's columns with those the WHERE fixes (`col = value` ANDed) hold a whole key
  // whose columns cannot be NULL: no two rows tie either.
  const fixed = (whereTerms(nodes, sel, 'OR')?.length ?? 1) === 1
    ? (whereTerms(nodes, sel, 'AND') ?? []).map((term) => equalityColumn(term, item)).filter((c): c is string => c !== undefined)
    : [];
  const known = new Set([...columns.filter((c): c is string => c !== undefined), ...fixed]);
  const notNull = (c: string) => fixed.includes(c) || table.columns.some((col) => col.name.toLowerCase() === c && col.notNull);
  return indexedKeys(table).some((key) => key.every((c) => known.has(c) && notNull(c)));
}

/** The WHERE pins the one-column primary key (`pk = value` with no OR beside it): one row at most. */
function wherePinsKey(nodes: Node[], sel: number, item: FromItem): boolean {
  const pk = item.table!.primaryKey;
  if (pk.length !== 1 || (whereTerms(nodes, sel, 'OR')?.length ?? 0) !== 1) return false;
  return (whereTerms(nodes, sel, 'AND') ?? []).some((term) => equalityColumn(term, item) === pk[0].toLowerCase());
}

/** The WHERE's top-level terms split by `word` (AND or OR), or undefined when there is no WHERE. */
function whereTerms(nodes: Node[], sel: number, word: string): Node[][] | undefined {
  const at = nodes.findIndex((n, i) => i > sel && isWord(n, 'WHERE'));
  if (at === -1) return undefined;
  let end = at + 1;
  while (end < nodes.length && !isWord(nodes[end], 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING', 'WINDOW') && !(isWord(nodes[end], 'ON') && isWord(nodes[nextSig(nodes, end)], 'CONFLICT')) && !isType(nodes[end], 'semi')) end++;
  const terms: Node[][] = [[]];
  let between = false;
  for (const n of nodes.slice(at + 1, end)) {
    if (isWord(n, 'BETWEEN')) between = true;
    if (isWord(n, word) && !(word === 'AND' && between)) terms.push([]);
    else terms[terms.length - 1].push(n);
    if (isWord(n, 'AND') && between) between = false;
  }
  return terms;
}

/** The column a term compares with `=` (`col = expr`), lower case. */
function equalityColumn(term: Node[], item: FromItem): string | undefined {
  const s = sigNodes(term);
  let at = 0;
  if (isName(s[0]) && isOp(s[1], '.') && nameOf(s[0] as Token).toLowerCase() === item.alias.toLowerCase()) at = 2;
  if (!isName(s[at]) || !isOp(s[at + 1], '=', '==')) return undefined;
  // Compared with one value (a parameter or literal), in the column's own collation: an index lookup.
  const value = s.slice(at + 2);
  if (value.length !== 1 || !(isType(value[0], 'param') || isType(value[0], 'string') || isType(value[0], 'number'))) return undefined;
  const name = nameOf(s[at] as Token).toLowerCase();
  return item.table!.columns.some((c) => c.name.toLowerCase() === name) ? name : undefined;
}

/** The column a term bounds (`col < x`, `x >= col`, `col BETWEEN x AND y`, x a parameter or literal), lower case. */
function rangeColumn(term: Node[], item: FromItem): string | undefined {
  const s = sigNodes(term);
  const isValue = (n: Node | undefined): boolean => isType(n, 'param') || isType(n, 'string') || isType(n, 'number');
  const column = (at: number): string | undefined => {
    let i = at;
    if (isName(s[i]) && isOp(s[i + 1], '.') && nameOf(s[i] as Token).toLowerCase() === item.alias.toLowerCase()) i += 2;
    if (!isName(s[i])) return undefined;
    const name = nameOf(s[i] as Token).toLowerCase();
    return item.table!.columns.some((c) => c.name.toLowerCase() === name) ? name : undefined;
  };
  const end = (at: number): number => (isName(s[at]) && isOp(s[at + 1], '.') ? at + 3 : at + 1);
  const after = end(0);
  if (isOp(s[after], '<', '<=', '>', '>=') && s.length === after + 2 && isValue(s[after + 1])) return column(0);
  if (isWord(s[after], 'BETWEEN') && s.length === after + 4 && isValue(s[after + 1]) && isWord(s[after + 2], 'AND') && isValue(s[after + 3])) return column(0);
  if (isValue(s[0]) && isOp(s[1], '<', '<=', '>', '>=') && end(2) === s.length) return column(2);
  return undefined;
}

/** The keys SQLite has an index for (automatic ones: the primary key, then each UNIQUE in order). */
function indexedKeys(table: TableInfo): string[][] {
  return [table.primaryKey, ...table.uniqueKeys].filter((k) => k.length > 0).map((k) => k.map((c) => c.toLowerCase()));
}

/**
 * How SQLite reads the rows when the WHERE looks a key up, as its planner does for these shapes
 * without statistics: the ORDER BY keys (before the rowid) that reproduce that order, `[]` when
 * it is the rowid's, or undefined when the WHERE finds one row at most.
 * - `a = x AND ...` with `a` leading a key: the key's index, so rows come ordered by the key's
 *   columns after those the WHERE fixes (a fully fixed key is one row).
 * - `a < x` (>, <=, >=, BETWEEN) with `a` leading a key and no key looked up: the key's index,
 *   rows ordered by the key's columns.
 * - `k = x OR a = y` with `k` a one-column key and `a` leading a key (SQLite's MULTI-INDEX OR):
 *   the row found by `k` first, then those of `a` in its index's order.
 */
function lookupOrder(nodes: Node[], sel: number, item: FromItem): Array<string | Node[]> | undefined {
  const keys = indexedKeys(item.table!);
  const ors = whereTerms(nodes, sel, 'OR');
  const rest = (key: string[], fixed: Set<string>): string[] => {
    let n = 0;
    while (n < key.length && fixed.has(key[n]!)) n++;
    return key.slice(n);
  };
  const terms = (cols: string[]): string[] => cols.map((c) => `${quoteIdent(item.alias)}.${quoteIdent(c)} NULLS FIRST`);
  const ordered = (cols: string[]): string[] => (cols.length > 0 ? [terms(cols).join(', ')] : []);
  if (!ors) return ordered(coveringKey(nodes, sel, item, keys) ?? []);
  if (ors.length === 1) {
    const fixed = new Set((whereTerms(nodes, sel, 'AND') ?? []).map((t) => equalityColumn(t, item)).filter((c): c is string => c !== undefined));
    const key = keys.find((k) => fixed.has(k[0]!));
    if (!key) {
      // `a < x` (or >, <=, >=, BETWEEN) with `a` leading a key: SQLite reads the range through the key's index.
      const ranged = new Set((whereTerms(nodes, sel, 'AND') ?? []).map((t) => rangeColumn(t, item)).filter((c): c is string => c !== undefined));
      const rangeKey = keys.find((k) => ranged.has(k[0]!));
      return ordered(rangeKey ?? coveringKey(nodes, sel, item, keys) ?? []);
    }
    const after = rest(key, fixed);
    return after.length === 0 ? undefined : ordered(after);
  }
  if (ors.length !== 2) return [];
  const [first, second] = ors.map((t) => equalityColumn(t, item));
  const firstKey = keys.find((k) => k.length === 1 && k[0] === first);
  const secondKey = keys.find((k) => k[0] === second);
  if (!firstKey || !secondKey) return [];
  return ['CASE WHEN ', ors[0]!, ' THEN 0 ELSE 1 END', ...terms(rest(secondKey, new Set([second!]))).map((c) => `, ${c}`)];
}

function isQueryGroup(n: Node): boolean {
  return isGroup(n) && isWord(n.items[nextSig(n.items, -1)], 'SELECT', 'WITH', 'VALUES');
}

/** The table's columns the query names (in any clause, outside subqueries), or undefined for `*`. */
function referencedColumns(nodes: Node[], sel: number, item: FromItem): Set<string> | undefined {
  if (listItems(nodes, listAfter(nodes, sel)).some(isStar)) return undefined;
  const columns = new Set(item.table!.columns.map((c) => c.name.toLowerCase()));
  const found = new Set<string>();
  const walk = (list: Node[], from: number): void => {
    list.forEach((n, i) => {
      if (i < from) return;
      if (isGroup(n)) {
        if (!isQueryGroup(n)) walk(n.items, 0);
      } else if (n.kind === 'tpl') {
        // A rule's template (a comparison rewritten for the value bound) still names the columns it embeds.
        for (const part of n.parts) if (typeof part !== 'string') walk(part, 0);
      } else if (isName(n) && columns.has(nameOf(n as Token).toLowerCase()) && !isGroup(list[nextSig(list, i)])) {
        found.add(nameOf(n as Token).toLowerCase());
      }
    });
  };
  walk(nodes, sel + 1);
  return found;
}

/**
 * SQLite reads a table through an index that holds every column the query needs (a covering
 * index), rather than the table: the smallest such key, whose order is then the rows' order.
 */
function coveringKey(nodes: Node[], sel: number, item: FromItem, keys: string[][]): string[] | undefined {
  const used = referencedColumns(nodes, sel, item);
  if (!used) return undefined;
  return [...keys].sort((a, b) => a.length - b.length).find((k) => [...used].every((c) => k.includes(c)));
}

/** First rule: `*`, NATURAL joins, and the mark of a query whose order is the rowid's. */
export function hiddenRowid(nodes: Node[], ctx: Ctx): Node[] {
  if (ctx.ddl && !nodes.some((n) => isWord(n, 'SELECT'))) return nodes;
  let out = nodes;
  for (let sel = 0; sel < out.length; sel++) {
    if (!isWord(out[sel], 'SELECT')) continue;
    const range = listAfter(out, sel);
    if (!isWord(out[range.to], 'FROM')) continue;
    const from = fromItems(out, range.to, ctx);
    if (!from) continue;
    const { items } = from;
    if (!items.some((it) => it.table?.rowid)) continue;
    // NATURAL JOIN: on the visible columns the tables share, as USING.
    for (let k = items.length - 1; k > 0; k--) {
      const item = items[k];
      if (item.natural === undefined) continue;
      const common = naturalColumns(items.slice(0, k), item);
      if (!common) continue;
      (out[item.natural] as Token).note = { replace: '' };
      item.using = common.map((c) => c.toLowerCase());
      const clause = common.length > 0 ? ` USING (${common.map(quoteIdent).join(', ')})` : ' ON true';
      out = [...out.slice(0, item.end + 1), tpl([clause]), ...out.slice(item.end + 1)];
    }
    expandStars(out, sel, items);
    const only = items[0];
    const lookup = scanOrdered(out, sel, items) && !orderedByKey(out, sel, only) && !wherePinsKey(out, sel, only) ? lookupOrder(out, sel, only) : undefined;
    if (lookup) {
      (out[sel] as Token).note = { ...(out[sel] as Token).note, rowidOrder: `${quoteIdent(only.alias)}.${quoteIdent(only.table!.rowid!)}` };
      if (lookup.length > 0) lookups.set(out[sel] as Token, lookup);
    }
  }
  return out;
}

const ORDERED_AGGREGATES = new Set(['GROUP_CONCAT', 'JSON_GROUP_ARRAY', 'JSON_GROUP_OBJECT']);

/** SELECTs that aggregate (an aggregate call anywhere in them but in a subquery): one row per group. */
const aggregating = new WeakSet<Token>();

function hasAggregate(nodes: Node[]): boolean {
  return nodes.some((n, i) => (isGroup(n) ? !isQueryGroup(n) && hasAggregate(n.items) : isWord(n) && AGGREGATES.has(n.value) && isGroup(nodes[nextSig(nodes, i)])));
}

function markAggregates(nodes: Node[], key: string): void {
  nodes.forEach((n, i) => {
    if (isGroup(n) && !isQueryGroup(n)) markAggregates(n.items, key);
    else if (isWord(n) && ORDERED_AGGREGATES.has(n.value) && isGroup(nodes[nextSig(nodes, i)])) n.note = { ...n.note, rowidOrder: key };
  });
}

/**
 * Before the rules (the calls are still words): group_concat() and json_group_array/object() of a
 * one-table query take their rows in rowid order, as SQLite's scan feeds them (per group too).
 */
export function markOrderedAggregates(nodes: Node[], ctx: Ctx): void {
  if (nodes.some((n) => isWord(n, 'UNION', 'EXCEPT', 'INTERSECT'))) return;
  const sel = nodes.findIndex((n) => isWord(n, 'SELECT'));
  if (sel === -1) return;
  const range = listAfter(nodes, sel);
  if (!isWord(nodes[range.to], 'FROM')) return;
  const from = fromItems(nodes, range.to, ctx);
  if (!from || from.items.length !== 1 || !from.items[0].table?.rowid) return;
  const only = from.items[0];
  if (hasAggregate(nodes.slice(sel + 1))) aggregating.add(nodes[sel] as Token);
  const rowid = `${quoteIdent(only.alias)}.${quoteIdent(only.table!.rowid!)}`;
  const lookup = lookupOrder(nodes, sel, only) ?? [];
  if (lookup.some((p) => typeof p !== 'string')) return; // an OR lookup's order: not reproduced inside an aggregate
  markAggregates(nodes, [...lookup, rowid].join(', '));
}

/** The key order of a lookup (lookupOrder), by the query's SELECT token: read by rowidOrder. */
const lookups = new WeakMap<Token, Array<string | Node[]>>();

/** Last rule: the marked query gets its rowid as its last ORDER BY key. */
export function rowidOrder(nodes: Node[], _ctx: Ctx): Node[] {
  const sel = nodes.findIndex((n) => isWord(n, 'SELECT') && (n as Token).note?.rowidOrder !== undefined);
  if (sel === -1) return nodes;
  const key = (nodes[sel] as Token).note!.rowidOrder!;
  let end = nodes.length;
  for (let i = sel + 1; i < nodes.length; i++) {
    if (isWord(nodes[i], 'LIMIT', 'OFFSET', 'RETURNING') || (isWord(nodes[i], 'ON') && isWord(nodes[nextSig(nodes, i)], 'CONFLICT')) || isType(nodes[i], 'semi')) {
      end = i;
      break;
    }
  }
  while (end > sel && isType(nodes[end - 1], 'ws')) end--;
  const ordered = nodes.some((n, i) => i > sel && i < end && isWord(n, 'ORDER') && isWord(nodes[nextSig(nodes, i)], 'BY'));
  const lookup = lookups.get(nodes[sel] as Token) ?? [];
  const parts: Array<string | Node[]> = lookup.length > 0 ? [...lookup, `, ${key}`] : [key];
  return [...nodes.slice(0, end), tpl([ordered ? ', ' : ' ORDER BY ', ...parts]), ...nodes.slice(end)];
}
