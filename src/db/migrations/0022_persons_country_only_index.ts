import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.ts';

// Counting a whole country's persons (the alert preview) walks an index entry per person. On
// PostgreSQL an index on the country alone is deduplicated into one posting list per country, about a
// tenth of the (location_country, id) index, so the count reads a tenth of the pages. SQLite stores
// every entry in full either way, and its existing index serves, so it gets nothing here.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create index persons_location_country_idx on persons (location_country)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop index persons_location_country_idx`.execute(db);
}
