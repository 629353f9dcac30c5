import type { Kysely } from 'kysely';

// Who boarded which leg, when the pass was scanned, and on which device: one row per person and
// operation, so a pass scanned twice is counted once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_boardings')
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('leg_id', 'text', (c) => c.notNull().references('evacuation_legs.id'))
    .addColumn('assembly_point_id', 'text', (c) => c.notNull().references('evacuation_assembly_points.id'))
    .addColumn('seat', 'text', (c) => c.notNull())
    .addColumn('scanned_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('evacuation_boardings_pk', ['operation_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('evacuation_boardings_leg_idx')
    .on('evacuation_boardings')
    .column('leg_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_boardings').execute();
}
