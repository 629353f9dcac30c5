import type { Kysely } from 'kysely';

// Warnings imported from host-country agencies (CAP 1.1/1.2), each kept with its original document.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_sender', 'text', (c) => c.notNull())
    .addColumn('source_identifier', 'text', (c) => c.notNull())
    .addColumn('source_sent', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('cap_version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('msg_type', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('certainty', 'text', (c) => c.notNull())
    .addColumn('infos', 'text', (c) => c.notNull())
    .addColumn('cap_references', 'text', (c) => c.notNull())
    .addColumn('original_xml', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.references('users.id'))
    .addColumn('draft_alert_id', 'text')
    .execute();
  // The same message imported twice is refused: CAP names a message by sender, identifier and sent.
  await db.schema
    .createIndex('incidents_source_idx')
    .on('incidents')
    .columns(['source_sender', 'source_identifier', 'sent_at'])
    .unique()
    .execute();
  await db.schema
    .createIndex('incidents_imported_idx')
    .on('incidents')
    .columns(['imported_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incidents').execute();
}
