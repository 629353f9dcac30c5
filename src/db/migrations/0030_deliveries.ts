import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.ts';

// The delivery outbox: one row per alert, recipient and channel (or per alert and partner webhook).
// The id is a sequence so the hot indexes grow at one end. There is deliberately no foreign key: a
// million-row fan-out would pay a referential check per row (on PostgreSQL more than the insert
// itself), and a row holds no personal data (no address, no name) that erasing the person must remove.
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('deliveries')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('partner', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reclaims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claim_token', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('code', 'text')
    .addColumn('detail', 'text')
    .addColumn('segments', 'integer')
    .addColumn('fallback_from', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('done_at', 'text')
    .execute();
  // A person is reached once per channel per alert, whatever crashes and re-runs happen.
  await db.schema
    .createIndex('deliveries_person_uq')
    .on('deliveries')
    .columns(['person_id', 'alert_id', 'channel'])
    .unique()
    .execute();
  await sql`create unique index deliveries_partner_uq on deliveries (alert_id, partner) where partner is not null`.execute(
    db,
  );
  // The claim order: per channel, highest priority first, then the earliest due.
  await sql`create index deliveries_claim_idx on deliveries (channel, priority desc, next_attempt_at, id) where state = 'queued'`.execute(
    db,
  );
  await sql`create index deliveries_lease_idx on deliveries (lease_until) where state = 'sending'`.execute(
    db,
  );
  await sql`create index deliveries_provider_idx on deliveries (provider_id) where provider_id is not null`.execute(
    db,
  );
  await db.schema
    .createIndex('deliveries_alert_idx')
    .on('deliveries')
    .columns(['alert_id', 'channel', 'state'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deliveries').execute();
}
