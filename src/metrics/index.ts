export * from './forward';
export * from './instruments';
export * from './record';
