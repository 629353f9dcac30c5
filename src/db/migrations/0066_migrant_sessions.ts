import type { Kysely } from 'kysely';

// Sessions of the migrant app, apart from staff sessions: a person signed in with a one-time code acts on
// their own record only. `id` is the SHA-256 of the cookie's token; erasing the person ends them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('migrant_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('migrant_sessions_person_idx')
    .on('migrant_sessions')
    .column('person_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('migrant_sessions').execute();
}
