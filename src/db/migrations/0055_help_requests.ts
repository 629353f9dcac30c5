import { type Kysely, sql } from 'kysely';

// Help requests and SOS: a person's request, triaged into a post's queue, worked to a closing outcome.
// The free text is encrypted at rest (the column name says so: see ENCRYPTED_COLUMNS).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('help_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text')
    .addColumn('alert_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('is_sos', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('h3_cell', 'text')
    .addColumn('free_text_enc', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('sla_due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assigned_to', 'text')
    .addColumn('referred_to', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await sql`create index help_requests_queue_idx on help_requests (post_id, status, sla_due_at)`.execute(db);
  await sql`create index help_requests_person_idx on help_requests (person_id, created_at)`.execute(db);
  await sql`create index help_requests_alert_idx on help_requests (alert_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('help_requests').execute();
}
