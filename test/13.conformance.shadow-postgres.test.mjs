import fs from 'node:fs';
import test from 'ava';
import { runConformance } from './conformance/index.mjs';
import { shadowBackend } from './helpers/backends.mjs';

const backend = shadowBackend(test, { primary: 'postgres' });
runConformance(test, backend);

test.after('the whole suite left the divergence log empty', (t) => {
  const lines = backend.logs().flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean));
  t.deepEqual(lines, []);
});
