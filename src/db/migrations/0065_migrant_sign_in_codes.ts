import { type Kysely, sql } from 'kysely';

// One-time sign-in codes of the migrant app. A row is written for every request, for a known contact or
// not, so rate limits and answers are the same either way (nobody can probe which contacts are
// registered). The contact and the client address are kept as SHA-256 keys only; the code as an argon2id
// hash. `person_id` is null when the contact is not registered.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('migrant_sign_in_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_key', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.references('persons.id').onDelete('cascade'))
    .addColumn('channel', 'text')
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('ip_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await sql`create index migrant_sign_in_codes_contact_idx on migrant_sign_in_codes (contact_key, created_at)`.execute(
    db,
  );
  await sql`create index migrant_sign_in_codes_ip_idx on migrant_sign_in_codes (ip_key, created_at)`.execute(
    db,
  );
  await sql`create index migrant_sign_in_codes_expiry_idx on migrant_sign_in_codes (expires_at)`.execute(db);
  await sql`create index migrant_sign_in_codes_person_idx on migrant_sign_in_codes (person_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('migrant_sign_in_codes').execute();
}
