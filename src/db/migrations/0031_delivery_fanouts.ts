import type { Kysely } from 'kysely';

// The resumable fan-out of a large alert, in slices of its recipients (keyset ranges by person id) that
// workers write in parallel: how far each slice's deliveries are written, under a lease so that one
// worker at a time continues a slice after a crash.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery_fanouts')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('slice', 'integer', (c) => c.notNull())
    // The slice's last recipient (person id), inclusive; null for the last slice.
    .addColumn('upto_person_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('all_channels', 'integer', (c) => c.notNull())
    .addColumn('after_person_id', 'text')
    .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('written', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unreachable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('batches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('delivery_fanouts_pk', ['alert_id', 'slice'])
    .execute();
  await db.schema
    .createIndex('delivery_fanouts_state_idx')
    .on('delivery_fanouts')
    .columns(['state', 'priority', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('delivery_fanouts').execute();
}
