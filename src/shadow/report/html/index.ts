export * from './lag';
export * from './page';
export * from './timeline';
