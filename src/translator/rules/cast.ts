/**
 * CAST(x AS type): SQLite's type names map as in the schema (INTEGER → bigint, REAL → double
 * precision...). CAST to INTEGER truncates in SQLite (3.7 → 3) and reads a leading number from
 * text; PostgreSQL rounds, so the value is truncated as numeric first. A BLOB cast to TEXT is its
 * bytes read as UTF-8 text in SQLite; PostgreSQL's bytea → text cast would give the '\x..' escape.
 */
import { fail, type Ctx } from '../context';
import { inferType } from '../infer-type';
import { isWord, sourceSpan, tpl, trimTrivia, type Group, type Node, type Tpl } from '../nodes';
import { mapDeclaredType } from '../../schema/type-mapping';
import { castParam } from './call';

export function castExpression(group: Group, ctx: Ctx): Tpl {
  const items = group.items;
  let asAt = -1;
  items.forEach((n, i) => {
    if (isWord(n, 'AS')) asAt = i;
  });
  if (asAt === -1) fail(ctx, 'CAST without AS', 'write CAST(x AS type).');
  const value = trimTrivia(items.slice(0, asAt));
  const declared = sourceSpan(items.slice(asAt + 1), ctx.sql) ?? '';
  const type = mapDeclaredType(declared);
  const from = inferType(value, ctx);
  if (type === 'bigint') {
    if (from === 'bigint' || from === 'integer') return tpl(['CAST(', value, ' AS bigint)'], 'bigint');
    if (from === 'boolean') return tpl(['CAST(CAST(', value, ' AS integer) AS bigint)'], 'bigint');
    castParam(value, 'text');
    return tpl(['CAST(trunc(CAST(', value, ' AS numeric)) AS bigint)'], 'bigint');
  }
  if (from === 'bytea' && type === 'text') return tpl(["convert_from(", value, ", 'UTF8')"], 'text');
  // SQLite's booleans are the integers 0/1: their text is '0'/'1', not PostgreSQL's 'false'/'true'.
  if (from === 'boolean' && type === 'text') return tpl(['CAST(CAST(', value, ' AS integer) AS text)'], 'text');
  castParam(value, 'text');
  const source: Node[] = value;
  return tpl(['CAST(', source, ` AS ${type})`], type);
}
