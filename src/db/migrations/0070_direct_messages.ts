import type { Kysely } from 'kysely';

// A message to one person that is not an alert (a sign-in code, a boarding pass, a follow-up note). Its
// text goes out through the delivery outbox like an alert's; subject and bodies are encrypted at rest
// (`*_enc`): they may hold a sign-in code. `channel` is the channel asked for first, null for the
// deployment's order; `expires_at` stops a message that is useless once late (a code) from going out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('direct_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('subject_enc', 'text', (c) => c.notNull())
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('html_enc', 'text')
    .addColumn('channel', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('direct_messages_person_idx')
    .on('direct_messages')
    .column('person_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('direct_messages').execute();
}
