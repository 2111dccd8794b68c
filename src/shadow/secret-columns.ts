/** The secret columns and their hash live in the registry policy (src/policy). */
export * from '../policy/secret-columns';
