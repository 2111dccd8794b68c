/** The profile as the operator reads it before a copy: counts, then a few rows of each finding. */
import type { RegistryProfile } from './profile';

export function describeProfile(profile: RegistryProfile, samples = 5): string {
  const lines = [`Profiled ${profile.totalRows} rows: ${Object.entries(profile.rowsByTable).map(([t, n]) => `${t} ${n}`).join(', ')}.`];
  for (const o of profile.orphans) {
    lines.push(`  orphans: ${o.count} row(s) of ${o.table} whose ${o.column} is not in ${o.references}, e.g. ${o.rows.slice(0, samples).map((r) => `${r.key} → ${r.value}`).join(', ')}`);
  }
  for (const l of profile.loose) {
    lines.push(`  loose values: ${l.count} ${l.kind} in ${l.table}.${l.column}${l.keys.length ? `, e.g. rows ${l.keys.slice(0, samples).join(', ')}` : ''}`);
  }
  for (const note of profile.notes) lines.push(`  note: ${note}`);
  const iso = profile.timestamps.filter((t) => t.format === 'iso').map((t) => `${t.table}.${t.column}`);
  if (iso.length) lines.push(`  timestamps shown as ISO-8601 (as SQLite held them): ${iso.join(', ')}; the others as YYYY-MM-DD HH:MM:SS`);
  return lines.join('\n') + '\n';
}
