export * from './postgres';
export * from './repair';
export * from './sqlite';
