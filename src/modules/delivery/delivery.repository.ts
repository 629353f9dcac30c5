// Queries of the delivery outbox for the workers: claims under a lease, outcomes and receipts written
// back, fallbacks, and what rendering needs. The hot statements are written in SQL, one statement per
// batch, with a dialect branch only where PostgreSQL and SQLite differ: row locking (FOR UPDATE SKIP
// LOCKED) and how a batch of values is passed in (jsonb_to_recordset or json_each). The fan-out's
// statements are in delivery.fanout.repository.ts, the read side in delivery.status.repository.ts.

import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { CONTACT_KIND_OF, type PersonChannel } from '../../domain/delivery/channel-order.ts';
import { affected, type Db, isPostgres } from './delivery.sql.ts';

// -------------------------------------------------------------------------------------------- claim

/** A claimed delivery, with what rendering it needs: the recipient's frozen language and address. */
export type ClaimedDelivery = {
  id: number;
  alert_id: string | null;
  message_id: string | null;
  person_id: string | null;
  partner: string | null;
  channel: string;
  attempts: number;
  priority: number;
  next_attempt_at: string;
  language: string | null;
  address: string | null;
};

/**
 * Claims up to `limit` due deliveries of one channel, most urgent first, under a lease: one statement,
 * with SKIP LOCKED on PostgreSQL so that workers never wait for each other's rows; on SQLite the
 * statement itself is the single writer. The address is the person's first consented contact of the
 * channel's kind, read as the row is claimed.
 */
export async function claimDeliveries(
  db: Db,
  p: {
    channel: string;
    limit: number;
    workerId: string;
    token: string;
    now: string;
    leaseUntil: string;
  },
): Promise<ClaimedDelivery[]> {
  const lock = isPostgres(db) ? sql`for update skip locked` : sql``;
  const kind = CONTACT_KIND_OF[p.channel as PersonChannel] as string | undefined;
  // SQLite's RETURNING does not know table aliases, so the updated table goes by its name.
  const address = kind
    ? sql`(select c.value from contacts c where c.person_id = deliveries.person_id and c.kind = ${kind}
           and c.consent = 1 order by c.rank, c.id limit 1)`
    : sql`null`;
  const { rows } = await sql<ClaimedDelivery>`
    update deliveries set state = 'sending', claimed_by = ${p.workerId}, claim_token = ${p.token},
      lease_until = ${p.leaseUntil}, attempts = deliveries.attempts + 1, updated_at = ${p.now}
    where deliveries.id in (
      select q.id from deliveries q
      where q.state = 'queued' and q.channel = ${p.channel} and q.next_attempt_at <= ${p.now}
      order by q.priority desc, q.next_attempt_at, q.id
      limit ${p.limit} ${lock})
    returning deliveries.id, deliveries.alert_id, deliveries.message_id, deliveries.person_id, deliveries.partner,
      deliveries.channel, deliveries.language, deliveries.attempts, deliveries.priority, deliveries.next_attempt_at, ${address} as address`.execute(
    db,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Extends the leases of rows this worker holds. */
export async function renewLeases(
  db: Db,
  workerId: string,
  ids: number[],
  leaseUntil: string,
): Promise<number> {
  let renewed = 0;
  for (let i = 0; i < ids.length; i += 5000) {
    const result = await db
      .updateTable('deliveries')
      .set({ lease_until: leaseUntil })
      .where('state', '=', 'sending')
      .where('claimed_by', '=', workerId)
      .where('id', 'in', ids.slice(i, i + 5000))
      .executeTakeFirst();
    renewed += Number(result.numUpdatedRows);
  }
  return renewed;
}

/**
 * Returns rows whose lease expired (their worker died) to the queue, due now. Their send may have
 * happened before the crash, so each is counted in `reclaims`: the at-least-once window, made visible.
 */
export async function reclaimExpiredLeases(db: Db, now: string): Promise<number> {
  const result = await sql`
    update deliveries set state = 'queued', lease_until = null, reclaims = reclaims + 1, code = 'lease.expired',
      next_attempt_at = ${now}, updated_at = ${now}
    where state = 'sending' and lease_until < ${now}`.execute(db);
  return affected(result);
}

// ------------------------------------------------------------------------------------------ results

/** The outcome of one claimed row, as written back. `refund` gives back the attempt (a send never made). */
export type OutcomeWrite = {
  id: number;
  token: string;
  state: 'queued' | 'sent' | 'dead';
  provider_id: string | null;
  code: string | null;
  detail: string | null;
  segments: number | null;
  next_attempt_at: string | null;
  refund: 0 | 1;
  sent_at: string | null;
  done_at: string | null;
};

/** A row changed by an outcome or a receipt. */
export type ChangedDelivery = {
  id: number;
  alert_id: string | null;
  message_id: string | null;
  person_id: string | null;
  channel: string;
  language: string | null;
  state: string;
  priority: number;
  provider_id: string | null;
};

/**
 * Writes a batch of outcomes. Only rows still under the claim that produced them change: a result
 * arriving after the lease was lost and the row claimed again is dropped, while one whose row went back
 * to the queue but was not claimed again still lands (saving a duplicate send). Plain `sent` outcomes,
 * by far the most common, are only counted; the others answer the rows they changed (fallbacks and
 * removed contacts follow from them). On SQLite, pass the connection's handle (`sqlite`) with `db` a
 * transaction on it: the `sent` rows are then written by one prepared statement, row by row, which
 * costs SQLite far less than unpacking a JSON batch (there is no round trip to save).
 */
export async function writeOutcomes(
  db: Db,
  outcomes: OutcomeWrite[],
  now: string,
  sqlite?: SQLite.Database,
): Promise<{ sent: number; other: ChangedDelivery[] }> {
  const plain = outcomes.filter((o) => o.state === 'sent' && o.refund === 0);
  const other = outcomes.filter((o) => !(o.state === 'sent' && o.refund === 0));
  let sent = 0;
  if (plain.length > 0)
    sent =
      sqlite && !isPostgres(db) ? writeSentPrepared(sqlite, plain, now) : await writeSent(db, plain, now);
  return { sent, other: other.length > 0 ? await writeOther(db, other, now) : [] };
}

const sentStatements = new WeakMap<SQLite.Database, SQLite.Statement>();

function writeSentPrepared(sqlite: SQLite.Database, outcomes: OutcomeWrite[], now: string): number {
  let statement = sentStatements.get(sqlite);
  if (!statement) {
    statement =
      sqlite.prepare(`update deliveries set state = 'sent', provider_id = ?, segments = ?, sent_at = ?,
      code = null, detail = null, lease_until = null, updated_at = ?
      where id = ? and claim_token = ? and state in ('sending', 'queued')`);
    sentStatements.set(sqlite, statement);
  }
  let changed = 0;
  for (const o of outcomes)
    changed += statement.run(o.provider_id, o.segments, o.sent_at, now, o.id, o.token).changes;
  return changed;
}

const CHANGED_PG = sql`d.id, d.alert_id, d.message_id, d.person_id, d.channel, d.language, d.state, d.priority, d.provider_id`;
const CHANGED_SQLITE = sql`deliveries.id, deliveries.alert_id, deliveries.message_id, deliveries.person_id, deliveries.channel,
  deliveries.language, deliveries.state, deliveries.priority, deliveries.provider_id`;

// Values travel as one JSON array of arrays: [id, token, provider id, segments, sent at].
async function writeSent(db: Db, outcomes: OutcomeWrite[], now: string): Promise<number> {
  const json = JSON.stringify(outcomes.map((o) => [o.id, o.token, o.provider_id, o.segments, o.sent_at]));
  if (isPostgres(db)) {
    const result = await sql`
      update deliveries as d set state = 'sent', provider_id = v.value->>2, segments = (v.value->>3)::integer,
        sent_at = v.value->>4, code = null, detail = null, lease_until = null, updated_at = ${now}
      from jsonb_array_elements(cast(${json} as jsonb)) as v
      where d.id = (v.value->>0)::bigint and d.claim_token = v.value->>1 and d.state in ('sending', 'queued')`.execute(
      db,
    );
    return affected(result);
  }
  const result = await sql`
    update deliveries set state = 'sent', provider_id = v.p, segments = v.s, sent_at = v.at, code = null,
      detail = null, lease_until = null, updated_at = ${now}
    from (select value ->> 0 as id, value ->> 1 as token, value ->> 2 as p, value ->> 3 as s, value ->> 4 as at
          from json_each(${json})) as v
    where deliveries.id = v.id and deliveries.claim_token = v.token and deliveries.state in ('sending', 'queued')`.execute(
    db,
  );
  return affected(result);
}

async function writeOther(db: Db, outcomes: OutcomeWrite[], now: string): Promise<ChangedDelivery[]> {
  const json = JSON.stringify(outcomes);
  if (isPostgres(db)) {
    const { rows } = await sql<ChangedDelivery>`
      update deliveries as d set state = v.state, provider_id = coalesce(v.provider_id, d.provider_id),
        code = v.code, detail = v.detail, segments = coalesce(v.segments, d.segments),
        next_attempt_at = coalesce(v.next_attempt_at, d.next_attempt_at), attempts = d.attempts - v.refund,
        lease_until = null, sent_at = coalesce(v.sent_at, d.sent_at), done_at = v.done_at, updated_at = ${now}
      from jsonb_to_recordset(cast(${json} as jsonb)) as v(id bigint, token text, state text, provider_id text,
        code text, detail text, segments integer, next_attempt_at text, refund integer, sent_at text, done_at text)
      where d.id = v.id and d.claim_token = v.token and d.state in ('sending', 'queued')
      returning ${CHANGED_PG}`.execute(db);
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
  const field = (name: string) => sql`json_extract(value, ${`$.${name}`}) as ${sql.ref(name)}`;
  const fields = [
    'id',
    'token',
    'state',
    'provider_id',
    'code',
    'detail',
    'segments',
    'next_attempt_at',
    'refund',
    'sent_at',
    'done_at',
  ];
  const { rows } = await sql<ChangedDelivery>`
    update deliveries set state = v.state, provider_id = coalesce(v.provider_id, deliveries.provider_id),
      code = v.code, detail = v.detail, segments = coalesce(v.segments, deliveries.segments),
      next_attempt_at = coalesce(v.next_attempt_at, deliveries.next_attempt_at),
      attempts = deliveries.attempts - v.refund, lease_until = null,
      sent_at = coalesce(v.sent_at, deliveries.sent_at), done_at = v.done_at, updated_at = ${now}
    from (select ${sql.join(fields.map(field))} from json_each(${json})) as v
    where deliveries.id = v.id and deliveries.claim_token = v.token and deliveries.state in ('sending', 'queued')
    returning ${CHANGED_SQLITE}`.execute(db);
  return rows;
}

/** A provider's receipt, as written back. */
export type ReceiptWrite = {
  provider_id: string;
  channel: string;
  state: 'delivered' | 'failed';
  code: string | null;
  done_at: string;
};

/** Applies receipts to the sent rows they name; answers the rows changed (with their provider ids). */
export async function writeReceipts(
  db: Db,
  receipts: ReceiptWrite[],
  now: string,
): Promise<ChangedDelivery[]> {
  if (receipts.length === 0) return [];
  const json = JSON.stringify(receipts);
  if (isPostgres(db)) {
    const { rows } = await sql<ChangedDelivery>`
      update deliveries as d set state = v.state, code = coalesce(v.code, d.code), done_at = v.done_at,
        updated_at = ${now}
      from jsonb_to_recordset(cast(${json} as jsonb)) as v(provider_id text, channel text, state text, code text,
        done_at text)
      where d.provider_id = v.provider_id and d.channel = v.channel and d.state = 'sent'
      returning ${CHANGED_PG}`.execute(db);
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
  const field = (name: string) => sql`json_extract(value, ${`$.${name}`}) as ${sql.ref(name)}`;
  const { rows } = await sql<ChangedDelivery>`
    update deliveries set state = v.state, code = coalesce(v.code, deliveries.code), done_at = v.done_at,
      updated_at = ${now}
    from (select ${sql.join(['provider_id', 'channel', 'state', 'code', 'done_at'].map(field))} from json_each(${json})) as v
    where deliveries.provider_id = v.provider_id and deliveries.channel = v.channel and deliveries.state = 'sent'
    returning ${CHANGED_SQLITE}`.execute(db);
  return rows;
}

/** The contact kinds each person gave with consent. */
export async function findConsentedContactKinds(
  db: Db,
  personIds: string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('contacts')
    .select(['person_id', 'kind'])
    .where('person_id', 'in', personIds)
    .where('consent', '=', 1)
    .execute();
  for (const r of rows) {
    const kinds = out.get(r.person_id) ?? new Set<string>();
    kinds.add(r.kind);
    out.set(r.person_id, kinds);
  }
  return out;
}

/** The channels already tried for each (alert, person), keyed `alertId person_id`. */
export async function findTriedChannels(
  db: Db,
  pairs: { alertId: string; personId: string }[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (pairs.length === 0) return out;
  const rows = await db
    .selectFrom('deliveries')
    .select(['alert_id', 'person_id', 'channel'])
    .where('person_id', 'in', [...new Set(pairs.map((p) => p.personId))])
    .where('alert_id', 'in', [...new Set(pairs.map((p) => p.alertId))])
    .execute();
  for (const r of rows) {
    const key = `${r.alert_id} ${r.person_id}`;
    const channels = out.get(key) ?? new Set<string>();
    channels.add(r.channel);
    out.set(key, channels);
  }
  return out;
}

/** The channels already tried for each direct message. */
export async function findTriedMessageChannels(
  db: Db,
  messageIds: string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (messageIds.length === 0) return out;
  const rows = await db
    .selectFrom('deliveries')
    .select(['message_id', 'channel'])
    .where('message_id', 'in', [...new Set(messageIds)])
    .execute();
  for (const r of rows) {
    if (r.message_id === null) continue;
    const channels = out.get(r.message_id) ?? new Set<string>();
    channels.add(r.channel);
    out.set(r.message_id, channels);
  }
  return out;
}

/**
 * Queues fallback deliveries, of an alert or of a direct message; one that exists already (the person
 * was tried there) is left alone.
 */
export async function insertFallbackDeliveries(
  db: Db,
  rows: {
    alertId: string | null;
    messageId: string | null;
    personId: string;
    channel: string;
    language: string | null;
    priority: number;
    fallbackFrom: string;
  }[],
  now: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('deliveries')
    .values(
      rows.map((r) => ({
        alert_id: r.alertId,
        message_id: r.messageId,
        person_id: r.personId,
        channel: r.channel,
        language: r.language,
        state: 'queued',
        priority: r.priority,
        next_attempt_at: now,
        fallback_from: r.fallbackFrom,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** Removes a contact that no longer exists at its provider (an expired push subscription). */
export async function removeContact(db: Db, personId: string, kind: string, value: string): Promise<number> {
  const result = await db
    .deleteFrom('contacts')
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** What rendering needs of alerts: their fields and info blocks. */
export async function findAlertsForRendering(db: Db, ids: string[]) {
  if (ids.length === 0) return { alerts: [], infos: [] };
  const [alerts, infos] = await Promise.all([
    db
      .selectFrom('alerts')
      .select([
        'id',
        'identifier',
        'status',
        'msg_type',
        'state',
        'event',
        'severity',
        'urgency',
        'expires_at',
        'level',
      ])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('alert_infos')
      .select(['alert_id', 'position', 'language', 'headline', 'description', 'instruction', 'sms_text'])
      .where('alert_id', 'in', ids)
      .orderBy('alert_id')
      .orderBy('position')
      .execute(),
  ]);
  return { alerts, infos };
}

/** The lifecycle state and expiry of alerts, re-read while they are being delivered. */
export async function findAlertStates(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('alerts').select(['id', 'state', 'expires_at']).where('id', 'in', ids).execute();
}

// ------------------------------------------------------------------------------------ held receipts

/** The state of the delivery a provider id names on a channel, if any. */
export async function findStateByProviderId(db: Db, channel: string, providerId: string) {
  return db
    .selectFrom('deliveries')
    .select(['id', 'state'])
    .where('provider_id', '=', providerId)
    .where('channel', '=', channel)
    .executeTakeFirst();
}

/** Holds a receipt whose message is not recorded as sent yet; the same receipt twice is held once. */
export async function holdReceipt(db: Db, receipt: ReceiptWrite, now: string): Promise<void> {
  await db
    .insertInto('delivery_receipts')
    .values({
      channel: receipt.channel,
      provider_id: receipt.provider_id,
      state: receipt.state,
      code: receipt.code,
      received_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Held receipts, oldest first. */
export async function findHeldReceipts(db: Db, limit: number): Promise<ReceiptWrite[]> {
  const rows = await db
    .selectFrom('delivery_receipts')
    .selectAll()
    .orderBy('received_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    provider_id: r.provider_id,
    channel: r.channel,
    state: r.state === 'failed' ? 'failed' : 'delivered',
    code: r.code,
    done_at: r.received_at,
  }));
}

/** Lets go of held receipts: those applied now, and those held since before `staleBefore`. */
export async function releaseHeldReceipts(
  db: Db,
  applied: { channel: string; provider_id: string }[],
  staleBefore: string,
): Promise<number> {
  let released = 0;
  for (const r of applied) {
    const result = await db
      .deleteFrom('delivery_receipts')
      .where('channel', '=', r.channel)
      .where('provider_id', '=', r.provider_id)
      .executeTakeFirst();
    released += Number(result.numDeletedRows);
  }
  const stale = await db
    .deleteFrom('delivery_receipts')
    .where('received_at', '<', staleBefore)
    .executeTakeFirst();
  return released + Number(stale.numDeletedRows);
}
