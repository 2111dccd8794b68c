export * from './backup';
export * from './init';
