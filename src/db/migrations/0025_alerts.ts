import type { Kysely } from 'kysely';

// Alerts: CAP messages with their lifecycle (draft, submitted, approved, issued, superseded, cancelled).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identifier', 'text', (c) => c.notNull().unique())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('msg_type', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('restriction', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('cap_references', 'text', (c) => c.notNull())
    .addColumn('follows_alert_id', 'text', (c) => c.references('alerts.id'))
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('certainty', 'text', (c) => c.notNull())
    .addColumn('response_types', 'text', (c) => c.notNull())
    .addColumn('effective', 'text')
    .addColumn('expires', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('ask_response', 'integer', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.references('posts.id'))
    .addColumn('level', 'integer')
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('sent', 'text')
    .addColumn('drafted_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('approved_at', 'text')
    .addColumn('rejected_by', 'text', (c) => c.references('users.id'))
    .addColumn('rejected_at', 'text')
    .addColumn('rejection_reason', 'text')
    .addColumn('issued_by', 'text', (c) => c.references('users.id'))
    .addColumn('issued_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by_alert_id', 'text')
    .addColumn('recipient_count', 'integer')
    .addColumn('issue_report', 'text')
    .execute();
  await db.schema.createIndex('alerts_state_idx').on('alerts').columns(['state', 'id']).execute();
  await db.schema.createIndex('alerts_issued_idx').on('alerts').columns(['issued_at', 'id']).execute();
  await db.schema.createIndex('alerts_follows_idx').on('alerts').column('follows_alert_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alerts').execute();
}
