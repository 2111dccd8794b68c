/**
 * The contracts at the bottom of the package: what the facade asks of a backend, synchronous and
 * asynchronous, and the modes they share. Nothing here imports from elsewhere in the package.
 */
export * from './modes';
export * from './backend';
export * from './statement';
export * from './async';
