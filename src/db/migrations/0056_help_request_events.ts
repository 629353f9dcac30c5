import { type Kysely, sql } from 'kysely';

// The history of each help request: every change and every note, in order. Note text is encrypted at
// rest (the column name says so: see ENCRYPTED_COLUMNS).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('help_request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('help_request_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index help_request_events_request_idx on help_request_events (help_request_id, created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('help_request_events').execute();
}
