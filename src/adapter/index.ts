/**
 * The facade's public surface for the rest of the package: the options and their plan, the errors,
 * the API's types, the statement and transaction rules, redaction and the log.
 */
export * from './config';
export * from './errors';
export * from './load-sqlite';
export * from './log';
export * from './redact';
export * from './statement';
export * from './transaction';
