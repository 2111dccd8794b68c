export * from './format';
export * from './log';
