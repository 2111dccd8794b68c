import test from 'ava';
import { runConformance } from './conformance/index.mjs';
import { postgresBackend } from './helpers/backends.mjs';

runConformance(test, postgresBackend(test));
