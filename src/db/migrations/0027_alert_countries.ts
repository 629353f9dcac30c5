import type { Kysely } from 'kysely';

// The host countries an alert concerns: named in its target, holding its areas, or where its recipients
// live. Posts see and act on the alerts of their jurisdiction through this table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_countries')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('country', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_countries_pk', ['alert_id', 'country'])
    .execute();
  await db.schema
    .createIndex('alert_countries_country_idx')
    .on('alert_countries')
    .columns(['country', 'alert_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_countries').execute();
}
