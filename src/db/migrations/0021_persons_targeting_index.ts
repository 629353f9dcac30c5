import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.ts';

// Recipient selection reads, for every person in a cell range, only the position (for the exact test
// of boundary cells), the country (to count a person once when a whole country is also targeted) and
// the id. With those in the index, selection never visits the table rows unless a filter asks for it.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create index persons_targeting_idx on persons (h3_cell) include (lat, lon, location_country, id)`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createIndex('persons_targeting_idx')
    .on('persons')
    .columns(['h3_cell', 'lat', 'lon', 'location_country', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('persons_targeting_idx').execute();
}
