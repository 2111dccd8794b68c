// No module of src/ imports, through any chain of static imports, a module that imports it back:
// such a cycle gives one of them an unfinished module at load time. Type-only imports count too
// (as madge counts them): the compiler erases them, but a cycle of types is still two modules
// that cannot be read, or moved, one without the other. A require() inside a function runs after
// loading and does not count (the demo runs the CLI that registers it that way).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const root = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

/** Static imports and re-exports of a file, type-only ones included. */
function staticImports(file) {
  const text = fs.readFileSync(file, 'utf8');
  const deps = new Set();
  for (const m of text.matchAll(/^(import|export)\s+(?:[^;'"]*?\sfrom\s+)?'(\.{1,2}\/[^']+)'/gm)) {
    const target = resolve(file, m[2]);
    if (target) deps.add(target);
  }
  return deps;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(path.relative(root, w));
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('src/ has no import cycle', (t) => {
  const files = sourceFiles(root);
  const graph = new Map(files.map((f) => [f, staticImports(f)]));
  t.true(files.length > 100, `found ${files.length} source files`);
  t.deepEqual(cycles(graph), []);
});

test('the check finds a cycle when there is one', (t) => {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'cycle-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nimport { f } from './f';\nexport const a = 1;\n");
  fs.writeFileSync(path.join(dir, 'b.ts'), "export { a as b } from './a';\n");
  fs.writeFileSync(path.join(dir, 'c.ts'), "import type { D } from './d';\nexport type C = D[];\n");
  fs.writeFileSync(path.join(dir, 'd.ts'), "import type { C } from './c';\nexport interface D { c?: C }\n");
  fs.writeFileSync(path.join(dir, 'e.ts'), "export const e = () => require('./a');\n");
  fs.writeFileSync(path.join(dir, 'f.ts'), "import { e } from './e';\nexport const f = e;\n");
  const graph = new Map(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts'].map((f) => [path.join(dir, f), staticImports(path.join(dir, f))]));
  t.deepEqual(cycles(graph).map((c) => c.map((f) => path.basename(f))), [['a.ts', 'b.ts'], ['c.ts', 'd.ts']], 'a ↔ b is a cycle, so is c ↔ d of types; a → f → e → a is not: the require of a is lazy');
});
