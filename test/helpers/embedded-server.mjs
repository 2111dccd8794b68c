// The throwaway PostgreSQL of the test runner and the benchmarks: the same one the CLI's demo
// starts (src/demo/embedded-postgres.ts, loaded from dist/: build first).
export { freePort, startEmbeddedPostgres } from '../../dist/demo/embedded-postgres.js';
