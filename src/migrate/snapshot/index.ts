export * from './checksum-reader';
export * from './chunk-reader';
export * from './protocol';
export * from './reader';
export * from './verify-reader';
