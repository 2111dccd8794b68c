/** The CLI's demo (`swarm-registry demo`) and the throwaway PostgreSQL it, the tests and the benchmarks start. */
export * from './embedded-postgres';
export * from './modes';
export * from './run-demo';
export * from './run-cli';
