import type { Kysely } from 'kysely';

// Boarding passes sent to evacuees through the delivery outbox: one row per pass sent, so that sending
// a leg's passes again sends only passes that changed (a new leg, assembly point, gathering time or
// destination after a re-plan). `pass_key` is a digest of what the message said; `message_id` names
// the direct message that carries it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_pass_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('leg_id', 'text', (c) => c.notNull().references('evacuation_legs.id'))
    .addColumn('pass_key', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('evacuation_pass_sends_pass_idx')
    .on('evacuation_pass_sends')
    .columns(['operation_id', 'person_id', 'leg_id', 'pass_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('evacuation_pass_sends_leg_idx')
    .on('evacuation_pass_sends')
    .column('leg_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_pass_sends').execute();
}
