import { readdirSync } from 'node:fs';
import type { Migration } from 'kysely';

/**
 * Every migration file in this folder (`NNNN_name.ts`), keyed by name; names sort in the order they
 * run. Discovered at run time, so adding a migration is adding a file.
 */
export async function loadMigrations(): Promise<Record<string, Migration>> {
  const dir = new URL('.', import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(f))
    .sort();
  const entries = await Promise.all(
    files.map(
      async (f) => [f.replace(/\.ts$/, ''), (await import(new URL(f, dir).href)) as Migration] as const,
    ),
  );
  return Object.fromEntries(entries);
}
