/** The words of a statement, read from its tokens: its first keyword, the names it uses. */
import { isTrivia, tokenize } from '../../translator/tokenizer';

/** The first keyword of a statement (upper case), or '' when there is none. */
export function firstWord(sql: string): string {
  try {
    const t = tokenize(sql).find((x) => !isTrivia(x));
    return t?.type === 'word' ? t.value : '';
  } catch {
    return '';
  }
}

/** Names the statement calls as functions or reads as tables (for SQLite-only members). */
export function referencedNames(sql: string): Set<string> {
  const names = new Set<string>();
  try {
    for (const t of tokenize(sql)) if (t.type === 'word' || t.type === 'qident') names.add((t.type === 'word' ? t.text : t.value).toLowerCase());
  } catch {
    // unreadable SQL: SQLite refuses it at prepare
  }
  return names;
}
