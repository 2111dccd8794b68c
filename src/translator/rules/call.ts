/** A function call found in the tree, with its arguments split and trimmed. */
import { isGroup, isType, isWord, nextSig, splitCommas, tpl, trimTrivia, type Group, type Node, type Tpl } from '../nodes';
import type { Token } from '../tokenizer';
import type { Ctx } from '../context';

export interface Call {
  /** Upper-case name. */
  name: string;
  word: Token;
  group: Group;
  args: Node[][];
  /** The call is followed by OVER or FILTER: it must stay a plain aggregate call. */
  windowed?: boolean;
  /** `FILTER (...)` and/or `OVER ...` after the call, for rules that place them (see aggregateCall). */
  tail?: Node[];
  /** Set by a rule that placed the tail itself. */
  tailPlaced?: boolean;
}

/** name(args) with the call's FILTER/OVER after it: one aggregate call, wherever a rule puts it. */
export function aggregateCall(call: Call, name: string, args: Parts): Parts {
  call.tailPlaced = true;
  return [`${name}(`, ...args, ')', ...(call.tail ? [' ', call.tail] : [])];
}

export type Parts = Array<string | Node[] | Node>;
export type FunctionRule = (call: Call, ctx: Ctx) => Tpl;

export function makeCall(word: Token, group: Group): Call {
  const args = splitCommas(group.items).map(trimTrivia);
  return { name: word.value, word, group, args: args.length === 1 && args[0].length === 0 ? [] : args };
}

/** The call as written (a function PostgreSQL has with the same meaning). */
export function asWritten(call: Call, type?: string): Tpl {
  return tpl([call.word.text, call.group], type);
}

/** A call with another name and the same arguments. */
export function renamed(call: Call, name: string, type?: string): Tpl {
  return tpl([name, call.group], type);
}

/** Casts an argument that is a bare parameter (PostgreSQL cannot infer its type there). */
export function castParam(arg: Node[] | undefined, type: string): void {
  const s = arg?.filter((n) => n.kind !== 'token' || (n.type !== 'ws' && n.type !== 'comment'));
  if (s && s.length === 1 && isType(s[0], 'param') && !s[0].note?.cast) s[0].note = { ...s[0].note, cast: type };
}

export function joinArgs(args: Node[][]): Parts {
  const parts: Parts = [];
  args.forEach((a, i) => {
    if (i > 0) parts.push(', ');
    parts.push(a);
  });
  return parts;
}

export function stringLiteral(arg: Node[] | undefined): string | undefined {
  return arg && arg.length === 1 && isType(arg[0], 'string') ? arg[0].value : undefined;
}

export function isCallAt(nodes: Node[], i: number): boolean {
  return isWord(nodes[i]) && isGroup(nodes[nextSig(nodes, i)]);
}
