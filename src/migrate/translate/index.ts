export * from './translate-statement';
