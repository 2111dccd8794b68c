export * from './exceptions';
export * from './profile';
export * from './report';
export * from './scan';
export * from './sql';
