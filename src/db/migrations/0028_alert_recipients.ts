import type { Kysely } from 'kysely';

// The recipients of an issued alert, frozen at issue time with the language block each one reads.
// Delivery fans out from here. Erasing a person removes their row; the alert keeps its count.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_recipients')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('matched_by', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addPrimaryKeyConstraint('alert_recipients_pk', ['alert_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('alert_recipients_person_idx')
    .on('alert_recipients')
    .column('person_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_recipients').execute();
}
