'use strict';
// Only for BETTER_SQLITE3_BASELINE=1 (see run.mjs): makes require('swarm-registry-adapter') load
// better-sqlite3 itself, to check that a failure is the facade's and not the suite's.
const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
	return resolve.call(this, request === 'swarm-registry-adapter' ? 'better-sqlite3' : request, ...rest);
};
