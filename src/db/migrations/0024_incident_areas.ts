import type { Kysely } from 'kysely';

// The areas of an imported warning, converted to targeting shapes; an area that fails the checks is kept
// with its error so the officer sees what was left out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incident_areas')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('info_index', 'integer', (c) => c.notNull())
    .addColumn('area_desc', 'text', (c) => c.notNull())
    .addColumn('shapes', 'text')
    .addColumn('geocodes', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addPrimaryKeyConstraint('incident_areas_pk', ['incident_id', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incident_areas').execute();
}
