// The fan-out's statements: an alert's recipients turned into deliveries, a keyset range at a time,
// and the fan-out jobs (slices with a cursor and a lease) that make it resumable after a crash.

import type { Insertable } from 'kysely';
import { type RawBuilder, sql } from 'kysely';
import { CONTACT_KIND_OF, type PersonChannel } from '../../domain/delivery/channel-order.ts';
import { affected, type Db, findAlertCountries, isPostgres } from './delivery.sql.ts';
import type { DeliveryFanoutRow, DeliveryFanoutTable } from './delivery.table.ts';

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
  return { ...alert, countries: await findAlertCountries(db, alertId) };
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
