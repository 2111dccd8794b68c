/**
 * What one SQLite statement does with secret columns, read from its tokens (made once per SQL
 * text): which result columns may carry a secret, which parameters and string literals are
 * written into or compared with one. The reading is deliberately wide: any expression that names
 * a secret column anywhere (`upper(webhook_secret) AS s`, `json_object('s', encrypted_value)`,
 * `CAST(encrypted_value AS TEXT)`, a scalar subquery) yields a secret result column; a secret
 * column inside a derived table, a CTE or a compound member makes every result column secret;
 * a parameter or literal in the same predicate or assignment as a secret column is a secret.
 */
import { tokenize, type Token } from '../translator/tokenizer';
import { buildTree, type Node } from '../translator/nodes';
import { defaultSecretColumns, type SecretColumns } from './secret-columns';

export interface StatementSecretInfo {
  /** The statement names a secret column, or selects `*` from a table that has one. */
  touches: boolean;
  /** Per result column of the top-level select list (or RETURNING), by position; absent when a `*` makes positions unknown. */
  resultFlags?: boolean[];
  /** Every result column may hold a secret (a secret inside a derived table, CTE or compound member). */
  allResults: boolean;
  /** Result columns are found by name (a `*` over a table with secrets). */
  byName: boolean;
  /** Anonymous `?` positions (0-based) and names (`?NNN` as 'NNN') of secret parameters. */
  positional: ReadonlySet<number>;
  named: ReadonlySet<string>;
  /** String and blob literals written into or compared with a secret column: [start, end) in the SQL, and the value. */
  literals: ReadonlyArray<{ start: number; end: number; value: string }>;
}

const NOTHING: StatementSecretInfo = { touches: false, allResults: false, byName: false, positional: new Set(), named: new Set(), literals: [] };

/** Words that end one predicate, assignment or list item and start the next. */
const SEPARATORS = new Set([
  'AND', 'OR', 'WHERE', 'ON', 'SET', 'VALUES', 'WHEN', 'THEN', 'ELSE', 'END', 'CASE', 'SELECT', 'FROM', 'HAVING',
  'GROUP', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'RETURNING', 'JOIN', 'USING', 'UNION', 'INTERSECT', 'EXCEPT', 'DO', 'UPDATE',
  'INSERT', 'INTO', 'DELETE', 'REPLACE', 'WITH', 'CONFLICT',
]);
const CLAUSE_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'ON', 'RETURNING']);
const COMPOUND = new Set(['UNION', 'INTERSECT', 'EXCEPT']);

const cache = new Map<string, StatementSecretInfo>();
const CACHE_LIMIT = 2000;

export function statementSecrets(sql: string, secrets: SecretColumns = defaultSecretColumns): StatementSecretInfo {
  const key = secrets === defaultSecretColumns ? sql : undefined;
  const cached = key !== undefined ? cache.get(key) : undefined;
  if (cached) return cached;
  let info: StatementSecretInfo;
  try {
    info = analyse(sql, secrets);
  } catch {
    // Not tokenizable: nothing is known, so everything that names a secret is suspect.
    const lower = sql.toLowerCase();
    const touches = [...secrets.names].some((n) => lower.includes(n)) || [...secrets.tables].some((t) => lower.includes(t));
    info = touches ? { ...NOTHING, touches, allResults: true, byName: true } : NOTHING;
  }
  if (key !== undefined) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, info);
  }
  return info;
}

function analyse(sql: string, secrets: SecretColumns): StatementSecretInfo {
  const tokens = tokenize(sql);
  const paramSource = new Map<Token, { index: number } | { name: string }>();
  let anonymous = 0;
  for (const t of tokens) {
    if (t.type !== 'param') continue;
    if (t.text === '?') paramSource.set(t, { index: anonymous++ });
    else paramSource.set(t, { name: t.text.slice(1) });
  }
  const tree = buildTree(tokens.filter((t) => t.type !== 'ws' && t.type !== 'comment'), sql);
  const isSecretName = (n: Node): boolean => n.kind === 'token' && (n.type === 'word' || n.type === 'qident') && secrets.names.has(n.value.toLowerCase());
  const isSecretTable = (n: Node): boolean => n.kind === 'token' && (n.type === 'word' || n.type === 'qident') && secrets.tables.has(n.value.toLowerCase());
  const contains = (nodes: readonly Node[], test: (n: Node) => boolean): boolean =>
    nodes.some((n) => test(n) || (n.kind === 'group' && contains(n.items, test)));

  const namesSecret = contains(tree, isSecretName);
  const readsSecretTable = contains(tree, isSecretTable);
  const star = contains(tree, (n) => n.kind === 'token' && n.type === 'op' && n.text === '*');
  if (!namesSecret && !readsSecretTable) return NOTHING;

  const positional = new Set<number>();
  const named = new Set<string>();
  const literals: Array<{ start: number; end: number; value: string }> = [];
  const markAll = (nodes: readonly Node[]): void => {
    for (const n of nodes) {
      if (n.kind === 'group') markAll(n.items);
      else if (n.kind === 'token') {
        const source = paramSource.get(n);
        if (source) {
          if ('index' in source) positional.add(source.index);
          else named.add(source.name);
        } else if (n.type === 'string' || n.type === 'blob') literals.push({ start: n.start, end: n.start + n.text.length, value: n.value });
      }
    }
  };
  // Predicates and assignments: a segment that names a secret column marks its parameters and literals.
  const segments = (nodes: readonly Node[]): void => {
    let segment: Node[] = [];
    const close = (): void => {
      if (contains(segment, isSecretName)) markAll(segment);
      else for (const n of segment) if (n.kind === 'group') segments(n.items);
      segment = [];
    };
    for (const n of nodes) {
      if (n.kind === 'token' && (n.type === 'comma' || n.type === 'semi' || (n.type === 'word' && SEPARATORS.has(n.value)))) close();
      else segment.push(n);
    }
    close();
  };
  segments(tree);
  insertValues(tree, secrets, isSecretTable, markAll);

  const result = resultColumns(tree, isSecretName, (nodes) => contains(nodes, isSecretName));
  const byName = star && readsSecretTable;
  return {
    touches: namesSecret || byName,
    ...(result.flags && !result.star ? { resultFlags: result.flags } : {}),
    allResults: result.all,
    byName,
    positional,
    named,
    literals,
  };
}

/** INSERT INTO t (a, b) VALUES (...), (...) / SELECT ...: the values at a secret column's position. */
function insertValues(tree: readonly Node[], secrets: SecretColumns, isSecretTable: (n: Node) => boolean, markAll: (nodes: readonly Node[]) => void): void {
  const into = tree.findIndex((n) => n.kind === 'token' && n.type === 'word' && n.value === 'INTO');
  if (into < 0) return;
  let i = into + 1;
  const table = tree[i];
  if (!table || !isSecretTable(table)) {
    // `schema.table`
    if (!(tree[i + 2] && tree[i + 1]?.kind === 'token' && (tree[i + 1] as Token).text === '.' && isSecretTable(tree[i + 2]!))) return;
    i += 2;
  }
  const tableName = (tree[i] as Token).value.toLowerCase();
  i++;
  if (tree[i]?.kind === 'token' && (tree[i] as Token).type === 'word' && (tree[i] as Token).value === 'AS') i += 2;
  const list = tree[i];
  let secretAt: boolean[] | undefined;
  if (list?.kind === 'group') {
    secretAt = splitCommas(list.items).map((c) => c.length === 1 && c[0]!.kind === 'token' && secrets.has(tableName, (c[0] as Token).value));
    i++;
  }
  const rest = tree.slice(i);
  const values = rest.findIndex((n) => n.kind === 'token' && n.type === 'word' && n.value === 'VALUES');
  if (values >= 0) {
    for (const n of rest.slice(values + 1)) {
      if (n.kind === 'token' && n.type === 'word') break; // ON CONFLICT, RETURNING
      if (n.kind !== 'group') continue;
      splitCommas(n.items).forEach((part, k) => {
        if (secretAt === undefined || secretAt[k]) markAll(part);
      });
    }
    return;
  }
  const select = rest.findIndex((n) => n.kind === 'token' && n.type === 'word' && n.value === 'SELECT');
  if (select >= 0) {
    const items = selectItems(rest, select).items;
    items.forEach((part, k) => {
      if (secretAt === undefined || secretAt[k]) markAll(part);
    });
  }
}

function splitCommas(nodes: readonly Node[]): Node[][] {
  const parts: Node[][] = [[]];
  for (const n of nodes) {
    if (n.kind === 'token' && n.type === 'comma') parts.push([]);
    else parts[parts.length - 1]!.push(n);
  }
  return parts;
}

/** The select list starting after the SELECT at `at`: its items and where it ends. */
function selectItems(nodes: readonly Node[], at: number): { items: Node[][]; end: number } {
  let i = at + 1;
  while (nodes[i]?.kind === 'token' && (nodes[i] as Token).type === 'word' && ((nodes[i] as Token).value === 'DISTINCT' || (nodes[i] as Token).value === 'ALL')) i++;
  const start = i;
  while (i < nodes.length) {
    const n = nodes[i]!;
    if (n.kind === 'token' && (n.type === 'semi' || (n.type === 'word' && CLAUSE_END.has(n.value)))) break;
    i++;
  }
  return { items: splitCommas(nodes.slice(start, i)), end: i };
}

function isStar(item: readonly Node[]): boolean {
  const last = item[item.length - 1];
  return last?.kind === 'token' && last.type === 'op' && last.text === '*' && (item.length === 1 || (item.length === 3 && item[1]!.kind === 'token' && (item[1] as Token).text === '.'));
}

/** The top-level result columns: of the SELECT (every compound member, by position) or of RETURNING. */
function resultColumns(tree: readonly Node[], isSecretName: (n: Node) => boolean, containsSecret: (nodes: readonly Node[]) => boolean): { flags?: boolean[]; star: boolean; all: boolean } {
  let flags: boolean[] | undefined;
  let star = false;
  let all = false;
  const merge = (items: Node[][]): void => {
    const own = items.map((item) => {
      if (isStar(item)) star = true;
      return containsSecret(item);
    });
    flags = flags ? flags.map((f, k) => f || own[k] === true) : own;
  };
  let i = 0;
  // WITH ... AS (...): a CTE that names a secret column taints every result column.
  if (tree[0]?.kind === 'token' && (tree[0] as Token).value === 'WITH') {
    while (i < tree.length && !(tree[i]!.kind === 'token' && ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE'].includes((tree[i] as Token).value))) {
      const n = tree[i]!;
      if (n.kind === 'group' && containsSecret(n.items)) all = true;
      i++;
    }
  }
  const first = tree[i];
  if (first?.kind === 'token' && first.type === 'word' && first.value === 'SELECT') {
    let at = i;
    for (;;) {
      const { items, end } = selectItems(tree, at);
      merge(items);
      // Derived tables in FROM: a secret inside makes every column suspect.
      let j = end;
      while (j < tree.length && !(tree[j]!.kind === 'token' && COMPOUND.has((tree[j] as Token).value))) {
        const n = tree[j]!;
        if (n.kind === 'group' && containsSecret(n.items) && startsWithSelect(n.items) && isInFrom(tree, j, end)) all = true;
        j++;
      }
      if (j >= tree.length) break;
      while (j < tree.length && !(tree[j]!.kind === 'token' && (tree[j] as Token).value === 'SELECT')) {
        if (tree[j]!.kind === 'token' && (tree[j] as Token).value === 'VALUES') all = all || tree.slice(j).some((n) => n.kind === 'group' && containsSecret(n.items));
        j++;
      }
      if (j >= tree.length) break;
      at = j;
    }
  } else {
    const returning = tree.findIndex((n) => n.kind === 'token' && n.type === 'word' && n.value === 'RETURNING');
    if (returning >= 0) merge(splitCommas(tree.slice(returning + 1).filter((n) => !(n.kind === 'token' && n.type === 'semi'))));
  }
  void isSecretName;
  return { ...(flags ? { flags } : {}), star, all };
}

function startsWithSelect(nodes: readonly Node[]): boolean {
  const first = nodes[0];
  return first?.kind === 'token' && (first.value === 'SELECT' || first.value === 'WITH' || first.value === 'VALUES');
}

/** Position `j` comes after FROM and before WHERE/GROUP/... of the member whose list ended at `end`. */
function isInFrom(tree: readonly Node[], j: number, end: number): boolean {
  for (let k = end; k < j; k++) {
    const n = tree[k]!;
    if (n.kind === 'token' && n.type === 'word' && ['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'WINDOW'].includes(n.value)) return false;
  }
  return true;
}
