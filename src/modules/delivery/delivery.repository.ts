// Queries of the delivery outbox. The hot statements (fan-out, claim, recording outcomes) are written in
// SQL, one statement per batch, with a dialect branch only where PostgreSQL and SQLite differ: row
// locking (FOR UPDATE SKIP LOCKED) and how a batch of values is passed in (jsonb_to_recordset or
// json_each).

import type SQLite from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { type Kysely, PostgresAdapter, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { CONTACT_KIND_OF, type PersonChannel } from '../../domain/delivery/channel-order.ts';
import type { DeliveryFanoutRow, DeliveryFanoutTable } from './delivery.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n);

// ------------------------------------------------------------------------------------------ fan-out

/** A keyset range of an alert's recipients: person ids above `after` and up to `upto` (null: open). */
export type RecipientRange = { after: string | null; upto: string | null };

/** `and …` conditions that keep a column within a range, or nothing for an open range. */
function inRange(
  range: RecipientRange,
  column: RawBuilder<unknown> = sql`ar.person_id`,
): RawBuilder<unknown> {
  const after = range.after !== null ? sql` and ${column} > ${range.after}` : sql``;
  const upto = range.upto !== null ? sql` and ${column} <= ${range.upto}` : sql``;
  return sql`${after}${upto}`;
}

const contactKinds = (order: readonly PersonChannel[]) =>
  sql.join(order.map((channel) => sql.lit(CONTACT_KIND_OF[channel])));

/**
 * Writes the deliveries of a range of an alert's recipients in one statement: for each recipient, the
 * first channel of `order` they have a consented contact for, or every such channel when
 * `allAtOnce`. Rows that exist already are left alone, so a batch re-run adds nothing twice. With
 * `skipExisting: false` the statement does not look for them (on PostgreSQL a plain insert costs a
 * quarter less than one with ON CONFLICT): for a range known to have none yet, and any row that
 * exists all the same fails it with a unique violation (see `isUniqueViolation`) rather than being
 * written twice. Answers the number of rows written.
 */
export async function insertRecipientDeliveries(
  db: Db,
  p: {
    alertId: string;
    range: RecipientRange;
    order: readonly PersonChannel[];
    allAtOnce: boolean;
    priority: number;
    now: string;
    skipExisting?: boolean;
  },
): Promise<number> {
  if (p.order.length === 0) return 0;
  const position = sql.join(
    p.order.map((channel, i) => sql`when ${sql.lit(CONTACT_KIND_OF[channel])} then ${sql.lit(i)}`),
    sql` `,
  );
  const channelAt = sql.join(
    p.order.map((channel, i) => sql`when ${sql.lit(i)} then ${sql.lit(channel)}`),
    sql` `,
  );
  // The contacts are read over the same keyset range as the recipients, so a batch reads only its
  // slice of the contacts' person index, whatever the planner knows about the table.
  const join = sql`from alert_recipients ar
    join contacts c on c.person_id = ar.person_id and c.consent = 1 and c.kind in (${contactKinds(p.order)})
    where ar.alert_id = ${p.alertId}${inRange(p.range)}${inRange(p.range, sql`c.person_id`)}`;
  const recipients = p.allAtOnce
    ? sql`select distinct ar.person_id as person_id, ar.language as language, case c.kind ${position} end as pos
        ${join}`
    : sql`select ar.person_id as person_id, ar.language as language, min(case c.kind ${position} end) as pos
        ${join} group by ar.person_id, ar.language`;
  const result = await sql`
    insert into deliveries
      (alert_id, person_id, channel, language, state, priority, attempts, reclaims, next_attempt_at, created_at,
       updated_at)
    select ${p.alertId}, x.person_id, case x.pos ${channelAt} end, x.language, 'queued', cast(${p.priority} as integer),
      0, 0, ${p.now}, ${p.now}, ${p.now}
    from (${recipients}) x
    where x.pos is not null
    ${p.skipExisting === false ? sql`` : sql`on conflict do nothing`}`.execute(db);
  return affected(result);
}

/** Whether a database error is a unique violation (PostgreSQL 23505, SQLite's constraint error). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The person id closing a batch of `size` recipients in a range; null when fewer remain in it. */
export async function findBatchEnd(
  db: Db,
  alertId: string,
  range: RecipientRange,
  size: number,
): Promise<string | null> {
  let query = db.selectFrom('alert_recipients').select('person_id').where('alert_id', '=', alertId);
  if (range.after !== null) query = query.where('person_id', '>', range.after);
  if (range.upto !== null) query = query.where('person_id', '<=', range.upto);
  const row = await query
    .orderBy('person_id')
    .limit(1)
    .offset(size - 1)
    .executeTakeFirst();
  return row?.person_id ?? null;
}

/** The person ids that split an alert's recipients into `slices` ranges of near-equal size. */
export async function findSliceBounds(
  db: Db,
  alertId: string,
  recipients: number,
  slices: number,
): Promise<string[]> {
  const bounds: string[] = [];
  for (let k = 1; k < slices; k++) {
    const row = await db
      .selectFrom('alert_recipients')
      .select('person_id')
      .where('alert_id', '=', alertId)
      .orderBy('person_id')
      .limit(1)
      .offset(Math.floor((k * recipients) / slices) - 1)
      .executeTakeFirst();
    if (row) bounds.push(row.person_id);
  }
  return bounds;
}

/** Recipients of an alert in a range. */
export async function countRecipients(db: Db, alertId: string, range: RecipientRange): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from alert_recipients ar where ar.alert_id = ${alertId}${inRange(range)}`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Recipients of an alert in a range with no consented contact for any channel of the order. */
export async function countUnreachable(
  db: Db,
  alertId: string,
  range: RecipientRange,
  order: readonly PersonChannel[],
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from alert_recipients ar
    where ar.alert_id = ${alertId}${inRange(range)}
      and not exists (
        select 1 from contacts c
        where c.person_id = ar.person_id and c.consent = 1 and c.kind in (${contactKinds(order)}))`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}

/** One webhook delivery per partner for an alert; existing ones are left alone. */
export async function insertPartnerDeliveries(
  db: Db,
  rows: { alertId: string; partner: string; priority: number; now: string }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('deliveries')
    .values(
      rows.map((r) => ({
        alert_id: r.alertId,
        person_id: null,
        partner: r.partner,
        channel: 'webhook',
        language: null,
        state: 'queued',
        priority: r.priority,
        next_attempt_at: r.now,
        created_at: r.now,
        updated_at: r.now,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** The facts about an alert that decide how it fans out. */
export async function findAlertFanoutFacts(db: Db, alertId: string) {
  const alert = await db
    .selectFrom('alerts')
    .select(['id', 'status', 'level', 'scope', 'state'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) return undefined;
  const countries = await db
    .selectFrom('alert_countries')
    .select('country')
    .where('alert_id', '=', alertId)
    .execute();
  return { ...alert, countries: countries.map((c) => c.country) };
}

export async function insertFanouts(db: Db, rows: Insertable<DeliveryFanoutTable>[]): Promise<void> {
  await db
    .insertInto('delivery_fanouts')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** An alert's fan-out slices, in order. */
export async function findFanouts(db: Db, alertId: string): Promise<DeliveryFanoutRow[]> {
  return db
    .selectFrom('delivery_fanouts')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('slice')
    .execute();
}

/** Takes the most urgent unfinished fan-out slice whose lease is free (never held, or expired). */
export async function claimFanout(
  db: Db,
  p: { workerId: string; now: string; leaseUntil: string },
): Promise<DeliveryFanoutRow | undefined> {
  const lock = isPostgres(db) ? sql`for update skip locked` : sql``;
  const { rows } = await sql<DeliveryFanoutRow>`
    update delivery_fanouts set state = 'running', claimed_by = ${p.workerId}, lease_until = ${p.leaseUntil},
      updated_at = ${p.now}
    where (alert_id, slice) in (
      select f.alert_id, f.slice from delivery_fanouts f
      where f.state in ('pending', 'running') and (f.lease_until is null or f.lease_until < ${p.now})
      order by f.priority desc, f.created_at, f.slice
      limit 1 ${lock})
    returning *`.execute(db);
  return rows[0];
}

/**
 * Holds a fan-out's lease for one more batch; false when another worker has taken it. On SQLite this is
 * also the transaction's first write, so the batch runs under the write lock from its start.
 */
export async function holdFanout(
  db: Db,
  p: { alertId: string; slice: number; workerId: string; now: string; leaseUntil: string },
): Promise<boolean> {
  const result = await db
    .updateTable('delivery_fanouts')
    .set({ lease_until: p.leaseUntil, updated_at: p.now })
    .where('alert_id', '=', p.alertId)
    .where('slice', '=', p.slice)
    .where('claimed_by', '=', p.workerId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives up this worker's hold on an unfinished slice, so that the next worker may take it at once. */
export async function releaseFanout(
  db: Db,
  p: { alertId: string; slice: number; workerId: string },
): Promise<void> {
  await db
    .updateTable('delivery_fanouts')
    .set({ lease_until: null, claimed_by: null })
    .where('alert_id', '=', p.alertId)
    .where('slice', '=', p.slice)
    .where('claimed_by', '=', p.workerId)
    .where('state', '=', 'running')
    .execute();
}

/** Moves a slice's cursor past a written batch and adds its counts; `done` finishes it. */
export async function advanceFanout(
  db: Db,
  p: {
    alertId: string;
    slice: number;
    after: string | null;
    recipients: number;
    written: number;
    unreachable: number;
    done: boolean;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('delivery_fanouts')
    .set((eb) => ({
      after_person_id: p.after,
      recipients: eb('recipients', '+', p.recipients),
      written: eb('written', '+', p.written),
      unreachable: eb('unreachable', '+', p.unreachable),
      batches: eb('batches', '+', 1),
      state: p.done ? 'done' : 'running',
      finished_at: p.done ? p.now : null,
      lease_until: p.done ? null : undefined,
      updated_at: p.now,
    }))
    .where('alert_id', '=', p.alertId)
    .where('slice', '=', p.slice)
    .execute();
}

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

// ------------------------------------------------------------------------------------------- status

/** Deliveries of an alert by channel and state. */
export async function countByChannelAndState(db: Db, alertId: string) {
  const rows = await db
    .selectFrom('deliveries')
    .select(['channel', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('alert_id', '=', alertId)
    .groupBy(['channel', 'state'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, state: r.state, n: Number(r.n) }));
}

/** Failed and dead deliveries of an alert by channel and reason. */
export async function countProblems(db: Db, alertId: string) {
  const rows = await db
    .selectFrom('deliveries')
    .select(['channel', 'state', 'code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('alert_id', '=', alertId)
    .where('state', 'in', ['failed', 'dead'])
    .groupBy(['channel', 'state', 'code'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, state: r.state, code: r.code ?? 'unknown', n: Number(r.n) }));
}

/** What deciding who may see an alert's delivery needs: its drafter and its countries. */
export async function findAlertAccessFacts(db: Db, alertId: string) {
  const alert = await db
    .selectFrom('alerts')
    .select(['id', 'drafted_by', 'state', 'recipient_count'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) return undefined;
  const countries = await db
    .selectFrom('alert_countries')
    .select('country')
    .where('alert_id', '=', alertId)
    .execute();
  return { ...alert, countries: countries.map((c) => c.country) };
}

/**
 * A person's deliveries, newest first: each with the alert it belongs to, or the purpose of the direct
 * message it carries (never the message's text).
 */
export async function listPersonDeliveries(db: Db, personId: string, limit: number) {
  return db
    .selectFrom('deliveries as d')
    .leftJoin('alerts as a', 'a.id', 'd.alert_id')
    .leftJoin('direct_messages as m', 'm.id', 'd.message_id')
    .select([
      'd.id',
      'a.id as alert_id',
      'a.identifier',
      'a.status',
      'a.event',
      'm.purpose',
      'd.channel',
      'd.state',
      'd.attempts',
      'd.code',
      'd.fallback_from',
      'd.created_at',
      'd.sent_at',
      'd.done_at',
    ])
    .where('d.person_id', '=', personId)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
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
