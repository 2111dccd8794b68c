/**
 * `--code DIR`: nothing in the engine's code still needs better-sqlite3 itself — no dependency on
 * it in a package.json, no installed copy under node_modules, no `require('better-sqlite3')` or
 * `from 'better-sqlite3'` in a source file (the engine reaches SQLite through this adapter only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { failed, passed, type CheckResult } from '../stage';
import { listSome, walk } from './walk';

const TITLE = 'No better-sqlite3 left in the code';
const SOURCE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/;
const IMPORT = /require\s*\(\s*['"]better-sqlite3['"]\s*\)|from\s+['"]better-sqlite3['"]|import\s*\(\s*['"]better-sqlite3['"]\s*\)|import\s+['"]better-sqlite3['"]/;
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

export function checkCode(dir: string): CheckResult {
  const dependencies: string[] = [];
  const installed: string[] = [];
  const imports: string[] = [];
  let scanned = 0;
  const rel = (file: string) => path.relative(dir, file) || '.';
  const { truncated } = walk(dir, {
    skipDirectories: new Set(['node_modules']),
    onDirectory(directory) {
      if (path.basename(directory) === 'node_modules') installed.push(...installedCopies(directory).map(rel));
    },
    onFile(file) {
      if (path.basename(file) === 'package.json') {
        dependencies.push(...dependencyFields(file).map((field) => `${rel(file)} (${field})`));
      } else if (SOURCE.test(file)) {
        scanned++;
        imports.push(...importLines(file).map((line) => `${rel(file)}:${line}`));
      }
    },
  });
  const details = { dependencies, installed, imports, sourceFiles: scanned, truncated };
  if (dependencies.length + installed.length + imports.length === 0) {
    return passed('code', TITLE, `No dependency on better-sqlite3, no installed copy and no import of it in ${dir} (${scanned} source files read${truncated ? ', stopped at the walk limit' : ''}).`, details);
  }
  const found = [
    dependencies.length ? `a dependency in ${listSome(dependencies)}` : '',
    installed.length ? `an installed copy at ${listSome(installed)}` : '',
    imports.length ? `imports at ${listSome(imports)}` : '',
  ].filter(Boolean).join('; ');
  const todo = [
    dependencies.length || installed.length ? 'npm uninstall better-sqlite3, then npm ci --omit=optional (swarm-registry-adapter lists it as optional)' : '',
    imports.length ? "import swarm-registry-adapter instead of better-sqlite3 in those files" : '',
  ].filter(Boolean).join(', and ');
  return failed('code', TITLE, `better-sqlite3 is still there: ${found}: ${todo}.`, details);
}

/** `node_modules/better-sqlite3`, and one level down (`node_modules/<pkg>/node_modules/better-sqlite3`). */
function installedCopies(nodeModules: string): string[] {
  const found: string[] = [];
  const own = path.join(nodeModules, 'better-sqlite3');
  if (fs.existsSync(own)) found.push(own);
  for (const name of safeList(nodeModules)) {
    const parents = name.startsWith('@') ? safeList(path.join(nodeModules, name)).map((n) => path.join(nodeModules, name, n)) : [path.join(nodeModules, name)];
    for (const parent of parents) {
      const nested = path.join(parent, 'node_modules', 'better-sqlite3');
      if (fs.existsSync(nested)) found.push(nested);
    }
  }
  return found;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function dependencyFields(file: string): string[] {
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    return DEPENDENCY_FIELDS.filter((field) => {
      const deps = manifest[field];
      return typeof deps === 'object' && deps !== null && 'better-sqlite3' in deps;
    });
  } catch {
    return [];
  }
}

/** 1-based line numbers of the imports of better-sqlite3 in one source file. */
function importLines(file: string): number[] {
  try {
    if (fs.statSync(file).size > MAX_SOURCE_BYTES) return [];
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('better-sqlite3')) return [];
    return text.split('\n').flatMap((line, i) => (IMPORT.test(line) ? [i + 1] : []));
  } catch {
    return [];
  }
}
