import type { Kysely } from 'kysely';

// One row per alert and silent recipient whose follow-up was decided: the channel the alert went out on
// again, or why none could be used. The key makes the follow-up happen once per person and alert, however
// many workers run and however often a pass is repeated.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('follow_ups')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    // 'queued', 'no_other_channel' or 'unreachable'.
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('follow_ups_pk', ['alert_id', 'person_id'])
    .execute();
  await db.schema.createIndex('follow_ups_person_idx').on('follow_ups').column('person_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('follow_ups').execute();
}
