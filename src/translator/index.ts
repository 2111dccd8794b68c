/** The SQLite → PostgreSQL translator (what it refuses: docs/api.md, What the translator refuses). */
export { translate, type TranslateOptions } from './translate';
export { splitStatements } from './split';
export { normalizeStatement, fingerprint } from './normalize';
export { createTranslator, type Translator } from './cache';
export { readParams, valueClassesOf, type ParamInfo } from './params';
export { tokenize, type Token } from './tokenizer';
export { registryMetaDdl, REGISTRY_META_TABLE } from './meta';
export type * from './types';
