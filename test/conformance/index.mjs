// The conformance suite: written once, run against every backend. A backend is done when it is green.
//   runConformance(test, backend) where backend = { name, open(t) → Database, expects: {...} }
import database from './10.database.mjs';
import statement from './20.statement.mjs';
import parameters from './24.parameters.mjs';
import transaction from './30.transaction.mjs';
import values from './40.values.mjs';
import errors from './50.errors.mjs';

export function runConformance(test, backend) {
  for (const suite of [database, statement, parameters, transaction, values, errors]) suite(test, backend);
}
