// Queries of the follow-up passes: finding the alerts due, claiming a pass under a lease, reading what
// deciding a batch of recipients needs (over a keyset range of person ids, so that each read walks one
// slice of an index), and writing follow-up deliveries, decisions and call-list entries. Every write
// leaves existing rows alone, so a batch re-run after a crash adds nothing twice.
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { FollowUpStage } from '../../domain/followups/follow-up-rules.ts';
import { newId } from '../../lib/ids.ts';
import type { FollowUpPassRow } from './followups.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;
const CHUNK = 1000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

// ------------------------------------------------------------------------------------------- passes

/** Issued alerts that asked for answers, issued between the bounds, lacking a pass of either stage. */
export async function findFollowUpCandidates(db: Db, bounds: { earliest: string; latest: string }) {
  return db
    .selectFrom('alerts as a')
    .select(['a.id', 'a.state', 'a.ask_response', 'a.issued_at', 'a.expires_at'])
    .where('a.ask_response', '=', 1)
    .where('a.state', '=', 'issued')
    .where('a.issued_at', '>=', bounds.earliest)
    .where('a.issued_at', '<=', bounds.latest)
    .where((eb) =>
      eb(
        eb
          .selectFrom('follow_up_passes as p')
          .select(eb.fn.countAll().as('n'))
          .whereRef('p.alert_id', '=', 'a.id'),
        '<',
        2,
      ),
    )
    .execute();
}

/** Creates passes; one that exists already is left alone. Answers how many were created. */
export async function insertPasses(
  db: Db,
  rows: { alertId: string; stage: FollowUpStage; now: string }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('follow_up_passes')
    .values(
      rows.map((r) => ({
        alert_id: r.alertId,
        stage: r.stage,
        state: 'pending',
        after_person_id: null,
        next_run_at: r.now,
        rounds: 0,
        examined: 0,
        acted: 0,
        waiting: 0,
        claimed_by: null,
        lease_until: null,
        created_at: r.now,
        updated_at: r.now,
        finished_at: null,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * Takes the pass that has waited longest among those due whose lease is free (never held, or expired):
 * one statement, with SKIP LOCKED on PostgreSQL so that workers never wait for each other.
 */
export async function claimPass(
  db: Db,
  p: { workerId: string; now: string; leaseUntil: string },
): Promise<FollowUpPassRow | undefined> {
  const lock = isPostgres(db) ? sql`for update skip locked` : sql``;
  const { rows } = await sql<FollowUpPassRow>`
    update follow_up_passes set state = 'running', claimed_by = ${p.workerId}, lease_until = ${p.leaseUntil},
      updated_at = ${p.now}
    where (alert_id, stage) in (
      select f.alert_id, f.stage from follow_up_passes f
      where f.state in ('pending', 'running') and f.next_run_at <= ${p.now}
        and (f.lease_until is null or f.lease_until < ${p.now})
      order by f.next_run_at, f.alert_id, f.stage
      limit 1 ${lock})
    returning *`.execute(db);
  return rows[0];
}

/**
 * Holds a pass's lease for one more batch; false when another worker has taken it. On SQLite this is
 * also the transaction's first write, so the batch runs under the write lock from its start.
 */
export async function holdPass(
  db: Db,
  p: { alertId: string; stage: string; workerId: string; now: string; leaseUntil: string },
): Promise<boolean> {
  const result = await db
    .updateTable('follow_up_passes')
    .set({ lease_until: p.leaseUntil, updated_at: p.now })
    .where('alert_id', '=', p.alertId)
    .where('stage', '=', p.stage)
    .where('claimed_by', '=', p.workerId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves a pass's cursor past a batch and adds its counts. */
export async function advancePass(
  db: Db,
  p: {
    alertId: string;
    stage: string;
    after: string;
    examined: number;
    acted: number;
    waiting: number;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('follow_up_passes')
    .set((eb) => ({
      after_person_id: p.after,
      examined: eb('examined', '+', p.examined),
      acted: eb('acted', '+', p.acted),
      waiting: eb('waiting', '+', p.waiting),
      updated_at: p.now,
    }))
    .where('alert_id', '=', p.alertId)
    .where('stage', '=', p.stage)
    .execute();
}

/**
 * Ends a round of a pass: `done`, or `pending` again from the first recipient at `nextRunAt` (some
 * deliveries were still on their way). The lease is given up either way.
 */
export async function endRound(
  db: Db,
  p: { alertId: string; stage: string; done: boolean; nextRunAt: string; now: string },
): Promise<void> {
  await db
    .updateTable('follow_up_passes')
    .set((eb) => ({
      state: p.done ? 'done' : 'pending',
      after_person_id: null,
      rounds: eb('rounds', '+', 1),
      waiting: p.done ? eb.ref('waiting') : 0,
      next_run_at: p.nextRunAt,
      claimed_by: null,
      lease_until: null,
      finished_at: p.done ? p.now : null,
      updated_at: p.now,
    }))
    .where('alert_id', '=', p.alertId)
    .where('stage', '=', p.stage)
    .execute();
}

/** Gives up this worker's hold on an unfinished pass, so that the next worker may take it at once. */
export async function releasePass(db: Db, p: { alertId: string; stage: string; workerId: string }) {
  await db
    .updateTable('follow_up_passes')
    .set({ claimed_by: null, lease_until: null })
    .where('alert_id', '=', p.alertId)
    .where('stage', '=', p.stage)
    .where('claimed_by', '=', p.workerId)
    .where('state', '=', 'running')
    .execute();
}

/** An alert's facts that decide its follow-up, re-read at every batch (it may be cancelled meanwhile). */
export async function findAlertFollowUpFacts(db: Db, alertId: string) {
  return db
    .selectFrom('alerts')
    .select(['id', 'state', 'status', 'level', 'ask_response', 'issued_at', 'expires_at'])
    .where('id', '=', alertId)
    .executeTakeFirst();
}

/** Whether the alert's fan-out is still writing deliveries (a large alert's job is not done yet). */
export async function isFanoutUnfinished(db: Db, alertId: string): Promise<boolean> {
  const row = await db
    .selectFrom('delivery_fanouts')
    .select('slice')
    .where('alert_id', '=', alertId)
    .where('state', '<>', 'done')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// --------------------------------------------------------------------------------------- recipients

/**
 * The next recipients of an alert after the cursor, in person id order, leaving out those the stage
 * has already dealt with (a follow-up decided, or a call-list entry made).
 */
export async function nextRecipients(
  db: Db,
  p: { alertId: string; stage: FollowUpStage; after: string | null; limit: number },
): Promise<{ person_id: string; language: string }[]> {
  let query = db
    .selectFrom('alert_recipients as ar')
    .select(['ar.person_id', 'ar.language'])
    .where('ar.alert_id', '=', p.alertId);
  if (p.after !== null) query = query.where('ar.person_id', '>', p.after);
  query =
    p.stage === 'follow_up'
      ? query.where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('follow_ups as f')
                .select('f.person_id')
                .whereRef('f.alert_id', '=', 'ar.alert_id')
                .whereRef('f.person_id', '=', 'ar.person_id'),
            ),
          ),
        )
      : query.where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('call_list as c')
                .select('c.person_id')
                .whereRef('c.alert_id', '=', 'ar.alert_id')
                .whereRef('c.person_id', '=', 'ar.person_id'),
            ),
          ),
        );
  return query.orderBy('ar.person_id').limit(p.limit).execute();
}

/** A keyset range of person ids: above `after` (null: from the first) and up to `upto`, inclusive. */
export type PersonRange = { after: string | null; upto: string };

// biome-ignore lint/suspicious/noExplicitAny: the query builder's generic type is long and irrelevant here
function inRange<Q extends { where: (...args: any[]) => any }>(q: Q, column: string, range: PersonRange): Q {
  const upto = q.where(column, '<=', range.upto);
  return range.after === null ? upto : upto.where(column, '>', range.after);
}

/** Each person's latest answer to the alert, within a range. */
export async function findLatestAnswers(
  db: Db,
  alertId: string,
  range: PersonRange,
): Promise<Map<string, string>> {
  const rows = await inRange(
    db.selectFrom('responses').select(['person_id', 'answer']).where('alert_id', '=', alertId),
    'person_id',
    range,
  )
    .orderBy('person_id')
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  // Ordered by time within each person: the last one seen wins.
  return new Map(rows.map((r) => [r.person_id, r.answer]));
}

/**
 * People within a range with a help request that is not closed and that answers the alert or came
 * after it was issued.
 */
export async function findOpenHelpRequests(
  db: Db,
  p: { alertId: string; issuedAt: string; range: PersonRange },
): Promise<Set<string>> {
  const rows = await inRange(
    db
      .selectFrom('help_requests')
      .select('person_id')
      .where('status', '<>', 'closed')
      .where((eb) => eb.or([eb('alert_id', '=', p.alertId), eb('created_at', '>=', p.issuedAt)])),
    'person_id',
    p.range,
  ).execute();
  return new Set(rows.map((r) => r.person_id));
}

/** The alert's deliveries to people within a range: channel and state. */
export async function findDeliveries(
  db: Db,
  alertId: string,
  range: PersonRange,
): Promise<Map<string, { channel: string; state: string }[]>> {
  const rows = await inRange(
    db.selectFrom('deliveries').select(['person_id', 'channel', 'state']).where('alert_id', '=', alertId),
    'person_id',
    range,
  ).execute();
  const out = new Map<string, { channel: string; state: string }[]>();
  for (const r of rows) {
    if (r.person_id === null) continue;
    const list = out.get(r.person_id) ?? [];
    list.push({ channel: r.channel, state: r.state });
    out.set(r.person_id, list);
  }
  return out;
}

/** The contact kinds each person within a range gave with consent. */
export async function findContactKinds(db: Db, range: PersonRange): Promise<Map<string, Set<string>>> {
  const rows = await inRange(
    db.selectFrom('contacts').select(['person_id', 'kind']).where('consent', '=', 1),
    'person_id',
    range,
  ).execute();
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const kinds = out.get(r.person_id) ?? new Set<string>();
    kinds.add(r.kind);
    out.set(r.person_id, kinds);
  }
  return out;
}

// ------------------------------------------------------------------------------------------- writes

/** Queues follow-up deliveries into the outbox, as the fan-out queues an alert's; answers the rows written. */
export async function insertFollowUpDeliveries(
  db: Db,
  rows: { alertId: string; personId: string; channel: string; language: string; priority: number }[],
  now: string,
): Promise<number> {
  let written = 0;
  for (const chunk of chunks(rows)) {
    const result = await db
      .insertInto('deliveries')
      .values(
        chunk.map((r) => ({
          alert_id: r.alertId,
          person_id: r.personId,
          partner: null,
          channel: r.channel,
          language: r.language,
          state: 'queued',
          priority: r.priority,
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return written;
}

/** Records follow-up decisions; one that exists already is left alone. */
export async function insertFollowUps(
  db: Db,
  rows: { alertId: string; personId: string; outcome: string; channel: string | null }[],
  now: string,
): Promise<void> {
  for (const chunk of chunks(rows)) {
    await db
      .insertInto('follow_ups')
      .values(
        chunk.map((r) => ({
          alert_id: r.alertId,
          person_id: r.personId,
          outcome: r.outcome,
          channel: r.channel,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Puts people on the call list for an alert; an entry that exists already is left alone. */
export async function insertCallListEntries(
  db: Db,
  alertId: string,
  personIds: readonly string[],
  now: string,
): Promise<number> {
  let written = 0;
  for (const chunk of chunks(personIds)) {
    const result = await db
      .insertInto('call_list')
      .values(
        chunk.map((personId) => ({
          id: newId(),
          alert_id: alertId,
          person_id: personId,
          status: 'open',
          outcome: null,
          attempts: 0,
          last_attempt_at: null,
          last_attempt_by: null,
          created_at: now,
          updated_at: now,
          closed_at: null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return written;
}

/**
 * Closes open call-list entries whose person got in touch meanwhile: an answer to the alert closes it
 * as `answered`, an open help request as `help_requested`. Answers how many closed.
 */
export async function closeEntriesOfThoseHeardFrom(db: Db, now: string): Promise<number> {
  const answered = await sql`
    update call_list set status = 'closed', outcome = 'answered', closed_at = ${now}, updated_at = ${now}
    where status = 'open' and exists (
      select 1 from responses r where r.alert_id = call_list.alert_id and r.person_id = call_list.person_id)`.execute(
    db,
  );
  const helped = await sql`
    update call_list set status = 'closed', outcome = 'help_requested', closed_at = ${now}, updated_at = ${now}
    where status = 'open' and exists (
      select 1 from help_requests h join alerts a on a.id = call_list.alert_id
      where h.person_id = call_list.person_id and h.status <> 'closed'
        and (h.alert_id = call_list.alert_id or h.created_at >= a.issued_at))`.execute(db);
  return Number(answered.numAffectedRows ?? 0n) + Number(helped.numAffectedRows ?? 0n);
}
