/**
 * A view's columns as the translator resolves them: SQLite gives a view's column the affinity of
 * its expression, so a column that is a table's column (`SELECT id, t FROM mix`) compares, converts
 * and is typed as that column, while a computed one (`i + 1`) has no affinity. The catalog holds the
 * view's definition as PostgreSQL prints it; its select list says which columns are a table's
 * column. Only those are known here (the others stay unknown, as before), read once per catalog.
 */
import { type ColumnInfo, type SchemaCatalog, type TableInfo, type ViewInfo } from '../schema/catalog';
import { buildTree, isType, isWord, sigNodes, splitCommas, type Node } from './nodes';
import { tokenize } from './tokenizer';

const known = new WeakMap<ViewInfo, TableInfo | null>();

/**
 * The table column `ref` names, among the tables `from` (a FROM clause onwards) names: scope.ts's
 * resolution, passed in (scope.ts resolves a view's columns through this module).
 */
export type ResolveIn = (ref: Node[], from: Node[], catalog: SchemaCatalog) => ColumnInfo | undefined;

/** The view `name` as a table of the columns that are a table's column, or undefined. */
export function viewTable(catalog: SchemaCatalog, name: string, resolve: ResolveIn): TableInfo | undefined {
  const view = catalog.viewInfo?.get(name.toLowerCase());
  if (!view) return undefined;
  let table = known.get(view);
  if (table === undefined) {
    known.set(view, null); // a view that (through others) names itself resolves nothing
    try {
      table = readView(view, catalog, resolve);
    } catch {
      table = null; // a definition the tokenizer cannot read: its columns stay unknown
    }
    known.set(view, table);
  }
  return table ?? undefined;
}

function readView(view: ViewInfo, catalog: SchemaCatalog, resolve: ResolveIn): TableInfo | null {
  const nodes = buildTree(tokenize(view.definition.replace(/;\s*$/, '')), view.definition);
  const s = sigNodes(nodes);
  if (!isWord(s[0], 'SELECT') || s.some((n) => isWord(n, 'UNION', 'INTERSECT', 'EXCEPT'))) return null;
  let from = s.findIndex((n) => isWord(n, 'FROM'));
  if (from === -1) from = s.length;
  let first = 1;
  if (isWord(s[1], 'DISTINCT', 'ALL')) first = 2;
  if (isWord(s[2], 'ON')) return null;
  const items = splitCommas(s.slice(first, from));
  if (items.length !== view.columns.length) return null;
  const columns: ColumnInfo[] = [];
  items.forEach((item, i) => {
    const ref = withoutAlias(item);
    const own = view.columns[i]!;
    const base = resolve(ref, s.slice(from), catalog);
    if (base && base.type === own.type) columns.push({ ...base, name: own.name, position: own.position, notNull: false, default: null });
  });
  return { name: view.name, oid: 0, columns, primaryKey: [], uniqueKeys: [], foreignKeys: [] };
}

function withoutAlias(item: Node[]): Node[] {
  const s = sigNodes(item);
  const n = s.length;
  return n >= 3 && isWord(s[n - 2], 'AS') && (isType(s[n - 1], 'word') || isType(s[n - 1], 'qident')) ? s.slice(0, n - 2) : s;
}

