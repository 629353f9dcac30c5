import type { Kysely } from 'kysely';

// Airports, ports and stations: people gather at the assembly points a hub serves and are taken there.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_hubs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('transfer_minutes', 'integer', (c) => c.notNull())
    .addColumn('assembly_point_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evacuation_hubs_operation_idx')
    .on('evacuation_hubs')
    .column('operation_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_hubs').execute();
}
