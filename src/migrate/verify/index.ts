export * from './postgres-rows';
export * from './verify';
