/** The backend contract lives with the others at the bottom of the package (src/contracts/). */
export type { Backend, BackendCapabilities, ColumnDefinition, RunResult, SqliteOnlyMember, TransactionFunction } from '../contracts';
