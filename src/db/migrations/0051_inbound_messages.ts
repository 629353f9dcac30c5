import { type Kysely, sql } from 'kysely';

// Every text message people send to Haven's number (over SMPP or an HTTP gateway), kept with the outcome
// of reading it, so nothing sent is lost: unrecognised ones wait for an officer. The sender's number and
// the text are personal data: they are stored encrypted (`*_enc`), with a keyed hash of the number for
// lookups and flood limits. Erasing a person removes their messages.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('number_hash', 'text', (c) => c.notNull())
    .addColumn('sender_enc', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.references('persons.id').onDelete('cascade'))
    .addColumn('alert_id', 'text')
    .addColumn('response_id', 'text')
    .addColumn('help_request_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index inbound_messages_number_idx on inbound_messages (number_hash, received_at)`.execute(
    db,
  );
  await sql`create index inbound_messages_outcome_idx on inbound_messages (outcome, received_at, id)`.execute(
    db,
  );
  await sql`create index inbound_messages_person_idx on inbound_messages (person_id)`.execute(db);
  // A gateway that retries its webhook delivers the same message id again: it is kept once.
  await sql`create unique index inbound_messages_provider_uq on inbound_messages (channel, provider_id) where provider_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbound_messages').execute();
}
