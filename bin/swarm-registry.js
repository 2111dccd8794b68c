#!/usr/bin/env node
'use strict';
// A small young generation: the migration commands stream rows whose objects die young, and V8's
// default (16 MB semi-spaces) keeps the process tens of MB bigger than its live data.
require('v8').setFlagsFromString('--max-semi-space-size=4');
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
