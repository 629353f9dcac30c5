import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.ts';

// A delivery carries either an alert (alert_id) or a direct message (message_id), never both: alert_id
// becomes nullable and message_id is added. PostgreSQL changes the column in place (the check is
// validated after it is added, under a lighter lock). SQLite cannot drop NOT NULL from a column, so the
// table is rebuilt in one transaction: copied into a new table of the new shape, which replaces it,
// with its indexes and its id sequence. A direct message reaches its person once per channel, like an
// alert: (message_id, channel) is unique.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table deliveries alter column alert_id drop not null`.execute(db);
    await sql`alter table deliveries add column message_id text`.execute(db);
    await sql`alter table deliveries add constraint deliveries_subject_ck
      check ((alert_id is null) <> (message_id is null)) not valid`.execute(db);
    await sql`alter table deliveries validate constraint deliveries_subject_ck`.execute(db);
  } else {
    await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ seq: number }>`
        select seq from sqlite_sequence where name = 'deliveries'`.execute(trx);
      const seq = Number(rows[0]?.seq ?? 0);
      await sql`create table deliveries_next (
        id integer primary key autoincrement,
        alert_id text,
        person_id text,
        partner text,
        channel text not null,
        language text,
        state text not null,
        priority integer not null,
        attempts integer not null default 0,
        reclaims integer not null default 0,
        next_attempt_at text not null,
        claimed_by text,
        claim_token text,
        lease_until text,
        provider_id text,
        code text,
        detail text,
        segments integer,
        fallback_from text,
        created_at text not null,
        updated_at text not null,
        sent_at text,
        done_at text,
        message_id text,
        constraint deliveries_subject_ck check ((alert_id is null) <> (message_id is null)))`.execute(trx);
      const columns = sql.raw(
        'id, alert_id, person_id, partner, channel, language, state, priority, attempts, reclaims, next_attempt_at, claimed_by, claim_token, lease_until, provider_id, code, detail, segments, fallback_from, created_at, updated_at, sent_at, done_at',
      );
      await sql`insert into deliveries_next (${columns}) select ${columns} from deliveries order by id`.execute(
        trx,
      );
      await sql`drop table deliveries`.execute(trx);
      await sql`alter table deliveries_next rename to deliveries`.execute(trx);
      // Ids are never reused, even those of rows deleted at the end of the old table.
      await sql`update sqlite_sequence set seq = max(seq, ${seq}) where name = 'deliveries'`.execute(trx);
      // The indexes of 0030_deliveries, as they were.
      await sql`create unique index deliveries_person_uq on deliveries (person_id, alert_id, channel)`.execute(
        trx,
      );
      await sql`create unique index deliveries_partner_uq on deliveries (alert_id, partner) where partner is not null`.execute(
        trx,
      );
      await sql`create index deliveries_claim_idx on deliveries (channel, priority desc, next_attempt_at, id) where state = 'queued'`.execute(
        trx,
      );
      await sql`create index deliveries_lease_idx on deliveries (lease_until) where state = 'sending'`.execute(
        trx,
      );
      await sql`create index deliveries_provider_idx on deliveries (provider_id) where provider_id is not null`.execute(
        trx,
      );
      await sql`create index deliveries_alert_idx on deliveries (alert_id, channel, state)`.execute(trx);
    });
  }
  await sql`create unique index deliveries_message_uq on deliveries (message_id, channel) where message_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index deliveries_message_uq`.execute(db);
  await sql`delete from deliveries where message_id is not null`.execute(db);
  if (isPostgres(db)) {
    await sql`alter table deliveries drop constraint deliveries_subject_ck`.execute(db);
    await sql`alter table deliveries drop column message_id`.execute(db);
    await sql`alter table deliveries alter column alert_id set not null`.execute(db);
  }
  // SQLite keeps the wider shape: an alert's rows fit it unchanged.
}
