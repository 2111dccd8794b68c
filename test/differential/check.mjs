// Opens the pair of databases for a differential run and checks one case against the invariant.
import crypto from 'node:crypto';
import { compareAnswers, describe } from './compare.mjs';
import { Pair } from './run-case.mjs';

/** Opens one SQLite file and one PostgreSQL schema (in the database at `databaseUrl`). */
export function openPair(databaseUrl) {
  return new Pair({ databaseUrl, pgSchema: `diff_${process.pid}_${crypto.randomBytes(3).toString('hex')}` });
}

/** Runs `c` on both sides: undefined when the answers agree, else { kind, detail, report }. */
export function checkCase(pair, c) {
  const answers = pair.run(c);
  const diff = compareAnswers(c, answers);
  return diff && { ...diff, report: describe(c, answers, diff) };
}

/** A property failure: the message carries the statement, the parameters and both answers. */
export class Difference extends Error {
  constructor(diff) {
    super(`\n${diff.report}`);
    this.name = 'Difference';
    this.kind = diff.kind;
  }
}
