// The documentation against the repository: every relative link of README.md and docs/*.md leads
// to a file (and a heading) that exists; the environment variables and error codes the docs list
// are the ones the code reads and produces; README stays a short front page; and no comment cites
// a contract the repository does not hold.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
const docFiles = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks and inline code, where links and names are meant. */
function prose(markdown) {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading) {
  return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(file) {
  const seen = new Map();
  const anchors = new Set();
  for (const [, heading] of read(file).replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function sourceFiles(dir) {
  return fs.readdirSync(path.join(root, dir), { recursive: true })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** The section of a markdown file under `## title`, up to the next heading of that level. */
function section(file, title) {
  const text = read(file);
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`${file} has no section "## ${title}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The back-quoted names in the first column of the tables of `text`. */
function firstColumn(text, pattern) {
  return new Set([...text.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).filter((name) => pattern.test(name)));
}

test('README.md is a front page: under 120 lines', (t) => {
  const lines = read('README.md').split('\n').length;
  t.true(lines < 120, `README.md has ${lines} lines`);
});

test('the docs tree is there', (t) => {
  for (const file of ['runbook', 'cli', 'api', 'shadow-mode', 'performance', 'architecture']) {
    t.true(docFiles.includes(`docs/${file}.md`), `docs/${file}.md`);
  }
});

test('every relative link of README.md and docs/*.md resolves, anchors included', (t) => {
  const broken = [];
  let checked = 0;
  for (const file of docFiles) {
    for (const [, target] of prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      checked++;
      const [ref, anchor] = target.split('#');
      const resolved = ref === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), ref));
      if (!fs.existsSync(path.join(root, resolved))) {
        broken.push(`${file}: ${target} (no file ${resolved})`);
      } else if (anchor !== undefined && !(resolved.endsWith('.md') && anchorsOf(resolved).has(anchor))) {
        broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
      }
    }
  }
  t.true(checked > 40, `only ${checked} links found: is the link pattern still right?`);
  t.deepEqual(broken, []);
});

test('the configuration table lists exactly the environment variables the code reads', (t) => {
  const read_ = new Set();
  for (const file of sourceFiles('src')) {
    const text = read(file);
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) read_.add(m[1]);
    for (const m of text.matchAll(/['"`](REGISTRY_[A-Z0-9_]+|DATABASE_URL)['"`]/g)) read_.add(m[1]);
  }
  t.true(read_.has('REGISTRY_BACKEND') && read_.has('REGISTRY_SHADOW_QUEUE_SIZE'), 'the scan finds the variables');
  const table = firstColumn(section('docs/runbook.md', 'Configuration'), /^(REGISTRY_|DATABASE_URL$)/);
  // PGPASSWORD is read only to keep it out of messages: not a setting of ours.
  t.deepEqual([...table].sort(), [...read_].filter((name) => /^(REGISTRY_|DATABASE_URL$)/.test(name)).sort());

  // Nowhere in the docs a variable the code does not read (a typo, a renamed variable).
  const known = new Set([...read_, 'TEST_DATABASE_URL', 'BENCH_ROWS']);
  const unknown = [];
  for (const file of docFiles) {
    for (const [name] of read(file).matchAll(/\b(?:REGISTRY_[A-Z0-9_]+|[A-Z_]*DATABASE_URL)\b/g)) {
      if (!known.has(name)) unknown.push(`${file}: ${name}`);
    }
  }
  t.deepEqual(unknown, []);
  t.regex(read('test/run.mjs'), /TEST_DATABASE_URL/);
  t.regex(read('bench/migrate.mjs'), /BENCH_ROWS/);
});

test('the error table lists exactly the SQLite codes the PostgreSQL backend produces', (t) => {
  const produced = new Set();
  for (const file of [...sourceFiles('src/backends'), ...sourceFiles('src/adapter'), ...sourceFiles('src/translator')]) {
    for (const m of read(file).matchAll(/['"`](SQLITE_[A-Z_]+)['"`]/g)) produced.add(m[1]);
  }
  t.true(produced.has('SQLITE_CONSTRAINT_PRIMARYKEY'), 'the scan finds the codes');
  const table = firstColumn(section('docs/api.md', 'Errors'), /^SQLITE_/);
  t.deepEqual([...table].sort(), [...produced].sort());

  const unknown = [];
  for (const file of docFiles) {
    for (const [code] of read(file).matchAll(/\bSQLITE_[A-Z_]+\b/g)) if (!produced.has(code)) unknown.push(`${file}: ${code}`);
  }
  t.deepEqual(unknown, [], 'a code the docs name that nothing produces');
});

test('no file cites sections of a contract the repository does not hold', (t) => {
  const marker = ['SPEC', '§'].join(' ');
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist', '.git'].includes(entry.name)) walk(rel);
      } else if (/\.(ts|mts|cts|js|mjs|cjs|md|json)$/.test(entry.name) && read(rel).includes(marker)) {
        found.push(rel);
      }
    }
  };
  walk('.');
  t.deepEqual(found, []);
});
