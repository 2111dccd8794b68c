/** Every SQLite function the translator knows, by upper-case name. Unknown functions are errors. */
import { concatCall } from './concat';
import type { FunctionRule } from './call';
import { asWritten } from './call';
import { dateTimeFunction } from './datetime';
import { json, jsonArrayLength, jsonBuild, jsonExtract, jsonGroup, jsonRemove, jsonSet, jsonType, jsonValid } from './json';
import * as agg from './aggregates';
import * as f from './scalar-functions';
import * as text from './text-functions';
import { strftime } from './strftime';

/** Same name, same meaning in PostgreSQL: kept as written. */
const SAME_IN_POSTGRES: Record<string, string | undefined> = {
  ROW_NUMBER: 'bigint', RANK: 'bigint', DENSE_RANK: 'bigint', NTILE: 'integer', LAG: undefined, LEAD: undefined,
  FIRST_VALUE: undefined, LAST_VALUE: undefined, NTH_VALUE: undefined, PERCENT_RANK: 'double precision',
  CUME_DIST: 'double precision',
};

export const FUNCTION_RULES = new Map<string, FunctionRule>([
  ...Object.entries(SAME_IN_POSTGRES).map(([name, type]) => [name, (c: Parameters<FunctionRule>[0]) => asWritten(c, type)] as const),
  ['COUNT', f.count],
  ['IFNULL', f.ifnull],
  ['UPPER', text.caseFold],
  ['LOWER', text.caseFold],
  ['COALESCE', f.coalesce],
  ['IIF', f.iif],
  ['NULLIF', f.nullif],
  ['GROUP_CONCAT', f.groupConcat],
  ['CONCAT', concatCall],
  ['CONCAT_WS', concatCall],
  ['INSTR', text.instr],
  ['SUBSTR', text.textFunction],
  ['SUBSTRING', text.textFunction],
  ['LENGTH', text.textFunction],
  ['TRIM', text.textFunction],
  ['LTRIM', text.textFunction],
  ['RTRIM', text.textFunction],
  ['REPLACE', text.replaceText],
  ['MAX', f.minMax],
  ['MIN', f.minMax],
  ['RANDOM', f.random],
  ['TOTAL', agg.total],
  ['SUM', agg.sumAvg],
  ['AVG', agg.sumAvg],
  ['ROUND', f.round],
  ['ABS', f.numericFunction],
  ['SIGN', f.numericFunction],
  ['CEIL', f.numericFunction],
  ['CEILING', f.numericFunction],
  ['FLOOR', f.numericFunction],
  ['TYPEOF', f.typeOf],
  ['HEX', f.hex],
  ['OCTET_LENGTH', f.octetLength],
  ['LIKELY', f.hint],
  ['UNLIKELY', f.hint],
  ['LIKELIHOOD', f.hint],
  ['LAST_INSERT_ROWID', f.unsupported],
  ['CHANGES', f.unsupported],
  ['TOTAL_CHANGES', f.unsupported],
  ['DATETIME', dateTimeFunction],
  ['DATE', dateTimeFunction],
  ['TIME', dateTimeFunction],
  ['JULIANDAY', dateTimeFunction],
  ['UNIXEPOCH', dateTimeFunction],
  ['STRFTIME', strftime],
  ['JSON_EXTRACT', jsonExtract],
  ['JSON', json],
  ['JSON_ARRAY_LENGTH', jsonArrayLength],
  ['JSON_TYPE', jsonType],
  ['JSON_VALID', jsonValid],
  ['JSON_OBJECT', jsonBuild],
  ['JSON_ARRAY', jsonBuild],
  ['JSON_GROUP_ARRAY', jsonGroup],
  ['JSON_GROUP_OBJECT', jsonGroup],
  ['JSON_SET', jsonSet],
  ['JSON_REPLACE', jsonSet],
  ['JSON_REMOVE', jsonRemove],
]);
