/** Keywords that cannot be a table alias, a function name or part of an operand. */
export const CLAUSE_KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'UNION', 'EXCEPT',
  'INTERSECT', 'WINDOW', 'RETURNING', 'VALUES', 'SET', 'ON', 'USING', 'JOIN', 'LEFT', 'RIGHT',
  'FULL', 'INNER', 'CROSS', 'NATURAL', 'OUTER', 'AS', 'BY', 'DEFAULT', 'DO', 'CONFLICT', 'INTO',
  'WITH', 'RECURSIVE', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'AND', 'OR', 'NOT', 'WHEN', 'THEN',
  'ELSE', 'END', 'CASE', 'IS', 'IN', 'LIKE', 'GLOB', 'REGEXP', 'MATCH', 'BETWEEN', 'ESCAPE', 'EXISTS',
  'DISTINCT', 'ALL', 'ASC', 'DESC', 'NULLS', 'COLLATE', 'FILTER', 'OVER', 'INDEXED', 'CAST',
]);

/** Words that are values, not column names. */
export const VALUE_KEYWORDS = new Set(['NULL', 'TRUE', 'FALSE', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME']);

/** Keywords that may be followed by "(" without being a function call. */
export const NOT_FUNCTIONS = new Set([
  ...CLAUSE_KEYWORDS, 'TABLE', 'KEY', 'UNIQUE', 'CHECK', 'REFERENCES', 'PRIMARY', 'FOREIGN',
  'CONSTRAINT', 'INDEX', 'IF', 'ROW', 'GENERATED', 'ALWAYS', 'STORED', 'VIRTUAL', 'NULL',
]);

/** Where one operand of a comparison ends. */
export const OPERAND_BOUNDARIES = new Set([
  ...CLAUSE_KEYWORDS,
]);
