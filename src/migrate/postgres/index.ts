export * from './pg-target';
