import type { Kysely } from 'kysely';

// Places where evacuees gather: capacity is the most people routed through over the operation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_assembly_points')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('accessible', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evacuation_assembly_points_operation_idx')
    .on('evacuation_assembly_points')
    .column('operation_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_assembly_points').execute();
}
