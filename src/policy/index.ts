export * from './canonical-json';
export * from './identifiers';
export * from './known-secrets';
export * from './secret-columns';
export * from './secret-statement';
export * from './secrets';
export * from './transaction-statements';
