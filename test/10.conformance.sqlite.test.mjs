import test from 'ava';
import { runConformance } from './conformance/index.mjs';
import { sqliteBackend } from './helpers/backends.mjs';

runConformance(test, sqliteBackend());
