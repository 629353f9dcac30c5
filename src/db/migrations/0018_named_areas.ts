import type { Kysely } from 'kysely';

// Areas within a host country that a level (and later an alert) can be declared for.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('named_areas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('named_areas_country_name_idx')
    .on('named_areas')
    .columns(['country', 'name'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('named_areas').execute();
}
