export * from './csv';
export * from './text';
