import type { Kysely } from 'kysely';

// The follow-up steps of an alert that asked for answers: one pass per alert and step (the follow-up on
// another channel, then the call list), walked over the recipients batch by batch (a keyset cursor by
// person id) under a lease, so that one worker at a time runs a pass and another continues it after a crash.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('follow_up_passes')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    // 'follow_up' or 'call_list'.
    .addColumn('stage', 'text', (c) => c.notNull())
    // 'pending', 'running' or 'done'.
    .addColumn('state', 'text', (c) => c.notNull())
    // Every recipient up to this person id has been looked at in the current round.
    .addColumn('after_person_id', 'text')
    // When the pass may run (again): a follow-up round looks again while deliveries are still on their way.
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('rounds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('examined', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waiting', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('follow_up_passes_pk', ['alert_id', 'stage'])
    .execute();
  await db.schema
    .createIndex('follow_up_passes_due_idx')
    .on('follow_up_passes')
    .columns(['state', 'next_run_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('follow_up_passes').execute();
}
