/** `--data DIR`: no SQLite file of the registry left (`.db`, its `-wal`/`-shm`/`-journal`, init's backups). */
import path from 'node:path';
import { failed, passed, type CheckResult } from '../stage';
import { listSome, walk } from './walk';

const TITLE = 'No .db file left in the data folder';
const SQLITE_FILE = /\.db(?:-wal|-shm|-journal|\.backup-[0-9TZ]+)?$/;

export function checkData(dir: string): CheckResult {
  const files: string[] = [];
  const { truncated } = walk(dir, {
    skipDirectories: new Set(['node_modules']),
    onFile(file) {
      if (SQLITE_FILE.test(file)) files.push(path.relative(dir, file));
    },
  });
  const details = { files, truncated };
  if (files.length === 0) return passed('data', TITLE, `No .db file in ${dir}${truncated ? ' (stopped at the walk limit)' : ''}.`, details);
  return failed('data', TITLE, `${files.length} SQLite file(s) left in ${dir}: ${listSome(files)}; archive them elsewhere (keep the backup) and remove them from the server.`, details);
}
