export * from './read';
export * from './redact';
export * from './summary';
export * from './window';
