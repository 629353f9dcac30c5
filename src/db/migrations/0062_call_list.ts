import type { Kysely } from 'kysely';

// The officers' call list: people still silent when the second window after an alert came. One entry per
// alert and person; an officer's call records its outcome, and a reached person's answer closes it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('call_list')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    // 'open' or 'closed'.
    .addColumn('status', 'text', (c) => c.notNull())
    // The last call's outcome, or how the entry closed without one ('answered', 'help_requested').
    .addColumn('outcome', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_attempt_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addUniqueConstraint('call_list_alert_person_uq', ['alert_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('call_list_status_idx')
    .on('call_list')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema.createIndex('call_list_person_idx').on('call_list').column('person_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_list').execute();
}
