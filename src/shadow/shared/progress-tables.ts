/**
 * The mirror's progress tables in the registry schema: written by the mirror worker
 * (mirror/progress.ts), read by `status` (src/cutover) and `report --html` (report/lag.ts).
 */
export const MIRROR_TABLE = '_registry_mirror';
export const LAG_TABLE = '_registry_mirror_lag';
