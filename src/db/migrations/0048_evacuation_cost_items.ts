import type { Kysely } from 'kysely';

// Assistance given to an evacuee: fares, exit fees, penalties, cash. Amounts are kept in thousandths
// of the currency unit so that sums are exact in every currency (three decimals at most, ISO 4217).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_cost_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_thousandths', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('evacuation_cost_items_person_idx')
    .on('evacuation_cost_items')
    .columns(['operation_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_cost_items').execute();
}
