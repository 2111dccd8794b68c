export * from './backfill';
export * from './checks';
export * from './copy';
export * from './dry-run';
export * from './hand-off';
export * from './state';
