import type { Kysely } from 'kysely';

// Delivery receipts an SMS gateway posted for a message id no sent delivery carries yet: the receipt
// can overtake the commit of its message's `sent` (a worker writes outcomes in batches). Workers apply
// them once the id appears, and drop them after a while. Keyed by channel and provider id, so a receipt
// posted twice is held once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery_receipts')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('delivery_receipts_pk', ['channel', 'provider_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('delivery_receipts').execute();
}
