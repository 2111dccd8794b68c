export * from './rows';
export * from './seed';
