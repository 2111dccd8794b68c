// One prepared statement, shared by the three front ends (synchronous, AsyncDatabase, shadow
// applier): translation, binding plan, row shaper and SQLite's answer, made once per statement.
export * from './prepared';
export * from './prepared-cache';
export * from './variants';
