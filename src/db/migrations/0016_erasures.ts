import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What survives a person's erasure: coarse, anonymous attributes that keep aggregates true.
  await db.schema
    .createTable('erased_persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .addColumn('location_country', 'text')
    .addColumn('nationality', 'text')
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('erased_persons').execute();
}
