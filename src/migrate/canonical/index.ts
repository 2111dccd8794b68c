export * from './checksum-sql';
export * from './hash';
export * from './jsonb';
export * from './select-sql';
export * from './values';
