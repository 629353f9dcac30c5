import { type Kysely, sql } from 'kysely';

// Answers people give: "I am safe" or "I need help", by reply link, SMS, the migrant app or an officer
// taking a call. Append-only: a person's latest answer to an alert is the one that counts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text')
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('recorded_by', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index responses_alert_idx on responses (alert_id, person_id, received_at)`.execute(db);
  await sql`create index responses_person_idx on responses (person_id, received_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('responses').execute();
}
