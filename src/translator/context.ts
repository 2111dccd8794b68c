/** What every rule of one translation shares: the source, the catalog, the scope, the parameters. */
import { TranslationError } from '../adapter/errors';
import type { SchemaCatalog } from '../schema/catalog';
import type { ParamInfo } from './params';
import type { Scope } from './scope';

export interface Ctx {
  readonly sql: string;
  readonly catalog: SchemaCatalog;
  readonly params: ParamInfo;
  scope: Scope;
  /** DDL: 'now' is the server's now() (a default is evaluated per row, not bound). */
  ddl: boolean;
  /** Why the statement cannot be repeated exactly on a second database (random(), ...). */
  notMirrorable: string[];
  /** The statement's verb, for rules that depend on it (an INSERT's select list takes the target's types). */
  kind?: import('./types').StatementKind;
  /** How many parentheses enclose the level the rules are rewriting (0: the statement itself). */
  depth?: number;
}

export function fail(ctx: { sql: string }, construct: string, message: string): never {
  throw new TranslationError(`Cannot translate ${construct} to PostgreSQL: ${message}`, construct, ctx.sql);
}

/** A SQL string literal and a PostgreSQL quoted identifier: the one quoting of the package. */
export { quoteIdent, quoteLiteral } from '../policy/identifiers';
