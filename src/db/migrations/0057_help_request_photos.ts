import { type Kysely, sql } from 'kysely';

// A photo sent with a help request. The image is stored base64 under the field cipher (photo_enc).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('help_request_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('help_request_id', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('photo_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index help_request_photos_request_idx on help_request_photos (help_request_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('help_request_photos').execute();
}
