/** sum(), avg() and total() with SQLite's types: integers stay integers, text is read as numbers. */
import { quoteIdent, type Ctx } from '../context';
import { inferType, isIntegerType } from '../infer-type';
import { isWord, sigNodes, tpl, type Tpl } from '../nodes';
import { aggregateCall, asWritten, type Call, type Parts } from './call';
import { textAsReal } from './sqlite-values';
import { REAL_AVG_AGGREGATE, REAL_SUM_AGGREGATE, realAggregate } from '../../schema/real-sum-aggregate';

/** sum/avg of REALs: the schema's aggregates that sum as SQLite does (schema/real-sum-aggregate.ts). */
function realAggregateName(type: string | undefined, name: string, ctx: Ctx): string | undefined {
  return type === 'double precision' || type === 'real' ? realAggregate(quoteIdent(ctx.catalog.schema), name) : undefined;
}

/** The argument of sum/avg/total: DISTINCT kept apart, booleans as 0/1, text as SQLite reads it. */
function aggregateArg(call: Call, ctx: Ctx): { distinct: boolean; value: Parts; type: string | undefined } {
  const x = call.args[0] ?? [];
  const s = sigNodes(x);
  const distinct = isWord(s[0], 'DISTINCT');
  const arg = distinct ? x.slice(x.indexOf(s[0]) + 1) : x;
  const type = inferType(arg, ctx);
  if (type === 'boolean') return { distinct, value: ['CAST(', arg, ' AS integer)'], type: 'integer' };
  if (type === 'text') return { distinct, value: textAsReal([arg]), type: 'double precision' };
  return { distinct, value: [arg], type };
}

/**
 * SUM of integers is an integer in SQLite, and "integer overflow" beyond 64 bits; PostgreSQL's
 * sum(bigint) is numeric. The overflow error is raised by casting a text that names it, which the
 * error mapping turns into SQLite's message.
 */
function integerSum(sum: Parts): Parts {
  return ['CASE WHEN ', ...sum, ' BETWEEN -9223372036854775808 AND 9223372036854775807 THEN CAST(', ...sum, " AS bigint) ELSE CAST('", INTEGER_OVERFLOW, "' || CAST(", ...sum, ' AS text) AS bigint) END'];
}

/** The text PostgreSQL's error message carries when a SUM overflows 64 bits (see integerSum). */
export const INTEGER_OVERFLOW = 'integer overflow: ';

/** TOTAL(x) is SUM that answers 0.0 instead of NULL, always a real. */
export function total(call: Call, ctx: Ctx): Tpl {
  const { distinct, value, type } = aggregateArg(call, ctx);
  const sum = realAggregateName(type, REAL_SUM_AGGREGATE, ctx) ?? 'sum';
  return tpl(['CAST(COALESCE(', ...aggregateCall(call, sum, [distinct ? 'DISTINCT ' : '', ...value]), ', 0) AS double precision)'], 'double precision');
}

/**
 * SUM and AVG with SQLite's types: SUM of integers (and of comparisons, booleans) is an integer,
 * of reals or text a real; AVG is always a real, the integer sum divided by the count.
 */
export function sumAvg(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 1) return asWritten(call);
  const { distinct, value, type } = aggregateArg(call, ctx);
  const d = distinct ? 'DISTINCT ' : '';
  const integer = isIntegerType(type);
  if (call.name === 'SUM' && !integer) {
    const real = realAggregateName(type, REAL_SUM_AGGREGATE, ctx);
    return tpl(aggregateCall(call, real ?? 'sum', [d, ...value]), real ? 'double precision' : type);
  }
  const sum = aggregateCall(call, 'sum', [d, ...value]);
  if (call.name === 'SUM') return tpl(integerSum(sum), 'bigint');
  if (integer) return tpl(['(CAST(', ...sum, ' AS double precision) / ', ...aggregateCall(call, 'count', [d, ...value]), ')'], 'double precision');
  return tpl(['CAST(', ...aggregateCall(call, realAggregateName(type, REAL_AVG_AGGREGATE, ctx) ?? 'avg', [d, ...value]), ' AS double precision)'], 'double precision');
}

