// The published types, as a TypeScript user gets them: the package is packed (`npm pack`), unpacked
// into a fresh project as npm would install it (its dependencies linked from this repository's
// node_modules, so no network is needed), and test/types/usage.mts (ESM) and usage.cts (CommonJS)
// are compiled there with the tsconfig `tsc --init` writes, then with a strict one that also checks
// the package's own declarations. The usage files follow @types/better-sqlite3's usage patterns;
// their `@ts-expect-error` lines are what must not compile.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const usageDir = path.join(root, 'test', 'types');
const tscBin = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const STRICT = {
  compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false },
};

/** A consumer project with the packed package installed in it; removed when the file's tests end. */
async function makeConsumer() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-types-'));
  test.after.always(() => fs.rmSync(base, { recursive: true, force: true }));
  const dir = path.join(base, 'consumer');
  fs.mkdirSync(dir);
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root });
  const tarball = path.join(dir, stdout.trim().split('\n').pop());
  const installed = path.join(dir, 'node_modules', 'swarm-registry-adapter');
  fs.mkdirSync(installed, { recursive: true });
  await run('tar', ['xzf', tarball, '-C', installed, '--strip-components=1']);
  fs.rmSync(tarball);
  // What `npm install <tarball> typescript` would add: the package's dependencies, and the compiler.
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const needed = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {}), 'typescript'];
  for (const name of needed) {
    const source = path.join(root, 'node_modules', name);
    if (!fs.existsSync(source)) {
      if (name in (manifest.optionalDependencies ?? {})) continue;
      throw new Error(`${name} is not in ${root}/node_modules: run npm ci first`);
    }
    const target = path.join(dir, 'node_modules', name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(source, target, 'dir');
  }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  for (const file of fs.readdirSync(usageDir)) fs.copyFileSync(path.join(usageDir, file), path.join(dir, file));
  await run(process.execPath, [tscBin, '--init'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'strict.json'), JSON.stringify(STRICT));
  return dir;
}

/** Compiles the project; resolves with tsc's exit code and output. */
async function compile(dir, project, files = []) {
  try {
    const { stdout } = await run(process.execPath, [tscBin, '-p', project, '--noEmit', '--pretty', 'false', ...files], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    return { code: error.code, output: `${error.stdout}${error.stderr}` };
  }
}

const consumer = makeConsumer();

test('the packed package declares its types, with the reference to Node\'s types kept', async (t) => {
  const dir = await consumer;
  const installed = path.join(dir, 'node_modules', 'swarm-registry-adapter');
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  t.is(manifest.exports['.'].types, './dist/index.d.ts');
  t.true('@types/node' in manifest.dependencies, '@types/node comes with the package, as with @types/better-sqlite3');
  const declarations = fs.readFileSync(path.join(installed, 'dist', 'index.d.ts'), 'utf8');
  t.regex(declarations, /^\/\/\/ <reference types="node"/);
  t.true(fs.existsSync(path.join(installed, 'docs', 'api.md')), 'the docs README.md links to ship with it');
});

test('ESM and CommonJS usage compile with the tsconfig `tsc --init` writes ("types": [])', async (t) => {
  const dir = await consumer;
  const config = fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8');
  t.regex(config, /"types": \[\]/, 'the default config names no @types package: Buffer must come from the reference');
  const { code, output } = await compile(dir, 'tsconfig.json');
  t.is(output, '');
  t.is(code, 0);
});

test('ESM and CommonJS usage compile under a strict config that also checks the package\'s declarations', async (t) => {
  const dir = await consumer;
  const { code, output } = await compile(dir, 'strict.json');
  t.is(output, '', 'no declaration may need a package the consumer does not get (pg\'s or better-sqlite3\'s types)');
  t.is(code, 0);
});

test('a wrong expectation fails: the checks can fail', async (t) => {
  // A copy of the project beside it (not inside it, where the other tests' compiles would see it).
  const consumerDir = await consumer;
  const dir = path.join(path.dirname(consumerDir), 'broken');
  fs.mkdirSync(dir);
  for (const file of ['package.json', 'tsconfig.json', 'usage.cts']) fs.copyFileSync(path.join(consumerDir, file), path.join(dir, file));
  fs.symlinkSync(path.join(consumerDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const source = fs.readFileSync(path.join(consumerDir, 'usage.mts'), 'utf8');
  const broken = source
    // a row typed too narrowly: get() may return undefined
    .replace('expectType<Equal<ReturnType<typeof byId.get>, Agent | undefined>>();', 'expectType<Equal<ReturnType<typeof byId.get>, Agent>>();')
    // a line that must not compile, without its marker
    .replace('// @ts-expect-error a [string] statement takes a string\n', '');
  t.not(broken, source);
  fs.writeFileSync(path.join(dir, 'usage.mts'), broken);
  const { code, output } = await compile(dir, 'tsconfig.json');
  t.not(code, 0);
  t.regex(output, /usage\.mts\(\d+,\d+\): error TS2344/, 'the narrowed expectation is reported');
  t.regex(output, /usage\.mts\(\d+,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/);
});
