/**
 * A reference to a json_extract()/->> column of a FROM subquery or CTE (marked by
 * statements/derived-json.ts): the column holds the jsonb value, read here as json_extract() written
 * in its place is read, so the value keeps SQLite's class (a number stays a number).
 */
import type { Ctx } from '../context';
import { tpl, type Node } from '../nodes';
import type { Token } from '../tokenizer';
import { sqliteJsonValue } from './json-path';

export function derivedJsonRefs(nodes: Node[], ctx: Ctx): Node[] {
  let out: Node[] | undefined;
  for (let i = 0; i < (out ?? nodes).length; i++) {
    const list = out ?? nodes;
    const t = list[i]!;
    const n = t.kind === 'token' ? t.note?.derivedJson : undefined;
    if (n === undefined) continue;
    const ref = list.slice(i, i + n);
    const note = (t as Token).note!;
    const v = ['(', ref, ')'];
    const value = note.jsonScalar
      ? { ...tpl(v, 'jsonb'), jsonScalar: true }
      : note.numeric
        ? { ...tpl(['CAST(', ...sqliteJsonValue(v, ctx), ' AS numeric)'], 'numeric'), jsonValue: v }
        : { ...tpl(['(', ...sqliteJsonValue(v, ctx), ')'], 'text'), jsonValue: v };
    const named = note.derivedJsonAs ? [value, tpl([` AS ${note.derivedJsonAs}`])] : [value];
    out = [...list.slice(0, i), ...named, ...list.slice(i + n)];
  }
  return out ?? nodes;
}
