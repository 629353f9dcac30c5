import type { Kysely } from 'kysely';

// The history of alert levels: every raising, lowering and lifting, never updated in place.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('level_declarations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('area_id', 'text', (c) => c.references('named_areas.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('scheme_version', 'integer', (c) => c.notNull().references('level_schemes.version'))
    .execute();
  await db.schema
    .createIndex('level_declarations_country_idx')
    .on('level_declarations')
    .columns(['country', 'declared_at'])
    .execute();
  await db.schema
    .createIndex('level_declarations_area_idx')
    .on('level_declarations')
    .column('area_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('level_declarations').execute();
}
