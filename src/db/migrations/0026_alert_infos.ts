import type { Kysely } from 'kysely';

// One block of text per language of an alert (CAP <info>), with the SMS text sent to phones.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_infos')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('instruction', 'text')
    .addColumn('sms_text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_infos_pk', ['alert_id', 'position'])
    .execute();
  await db.schema
    .createIndex('alert_infos_language_idx')
    .on('alert_infos')
    .columns(['alert_id', 'language'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_infos').execute();
}
