/**
 * The start-up line of a shadow-mode process, whichever side answers, once per process and
 * target: after a restart into shadow mode operators look for it as they look for
 * `Database initialized (PostgreSQL)` in postgres mode. REGISTRY_LOG_LEVEL=silent leaves it out.
 */
import { info, redactUrl } from '../../adapter';
import type { SideName } from '../shared';

const announced = new Set<string>();

const TITLE: Record<SideName, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export function announceShadow(primary: SideName, sqliteFile: string, databaseUrl: string, schema: string): void {
  const secondary: SideName = primary === 'sqlite' ? 'postgres' : 'sqlite';
  const line = `Database initialized (shadow mode: ${TITLE[primary]} answers, ${TITLE[secondary]} gets every write): ${sqliteFile} and ${redactUrl(databaseUrl)} schema ${schema}`;
  if (announced.has(line)) return;
  announced.add(line);
  info(line);
}
