import type { Kysely } from 'kysely';

// Transport departures with seats. A leg leaves from an assembly point or from a hub, never both.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_legs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('origin_assembly_point_id', 'text', (c) => c.references('evacuation_assembly_points.id'))
    .addColumn('origin_hub_id', 'text', (c) => c.references('evacuation_hubs.id'))
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('departs_at', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('medical_seats', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('boarding_closed_at', 'text')
    .addColumn('arrived_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evacuation_legs_operation_idx')
    .on('evacuation_legs')
    .columns(['operation_id', 'departs_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_legs').execute();
}
