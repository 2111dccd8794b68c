export * from './format';
export * from './html';
export * from './lag';
export * from './read';
export * from './redact';
export * from './summary';
export * from './timeline';
export * from './window';
