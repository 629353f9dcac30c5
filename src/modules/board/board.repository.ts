// Queries of the accountability board. A board covers one alert, or every issued alert of a crisis (an
// incident); a person counts once however many of its alerts reached them. Recipients are read in keyset
// batches by person id, each with the facts the board counts (reached, latest answer, open help
// request), so a large board is counted in constant memory. Every statement works on both dialects.
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonScope } from '../../domain/access/policy.ts';
import type { CountScope } from '../../domain/board/board-access.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The alerts a board covers and when the first was issued (help requests since then count). */
export type BoardAlerts = { alertIds: readonly string[]; since: string };

const idList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}`));

/** `and <column> in (…)` for a count scope, or nothing. */
function countScope(scope: CountScope, column: RawBuilder<unknown>): RawBuilder<unknown> {
  if (scope.kind === 'all') return sql``;
  if (scope.countries.length === 0) return sql` and 1 = 0`;
  return sql` and ${column} in (${sql.join(scope.countries.map((c) => sql`${c}`))})`;
}

// ------------------------------------------------------------------------------------------ subjects

/** What deciding access to an alert's board needs, and what the board shows of the alert. */
export async function findAlertBoardFacts(db: Db, alertId: string) {
  const alert = await db
    .selectFrom('alerts')
    .select([
      'id',
      'event',
      'status',
      'scope',
      'state',
      'drafted_by',
      'issued_at',
      'incident_id',
      'ask_response',
    ])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) return undefined;
  const [countries, headline] = await Promise.all([
    db.selectFrom('alert_countries').select('country').where('alert_id', '=', alertId).execute(),
    db
      .selectFrom('alert_infos')
      .select('headline')
      .where('alert_id', '=', alertId)
      .orderBy('position')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { ...alert, countries: countries.map((c) => c.country), headline: headline?.headline ?? null };
}

/** An incident and its issued alerts, with what deciding access to each needs. */
export async function findIncidentBoardFacts(db: Db, incidentId: string) {
  const incident = await db
    .selectFrom('incidents')
    .select(['id', 'event', 'infos'])
    .where('id', '=', incidentId)
    .executeTakeFirst();
  if (!incident) return undefined;
  const alerts = await db
    .selectFrom('alerts')
    .select(['id', 'status', 'scope', 'drafted_by', 'issued_at'])
    .where('incident_id', '=', incidentId)
    .where('issued_at', 'is not', null)
    .orderBy('issued_at')
    .execute();
  const countries =
    alerts.length === 0
      ? []
      : await db
          .selectFrom('alert_countries')
          .select(['alert_id', 'country'])
          .where(
            'alert_id',
            'in',
            alerts.map((a) => a.id),
          )
          .execute();
  return {
    incident,
    alerts: alerts.map((a) => ({
      ...a,
      countries: countries.filter((c) => c.alert_id === a.id).map((c) => c.country),
    })),
  };
}

/** The latest issued alerts, newest first, with their countries and first headline: the board's picker. */
export async function listIssuedAlerts(db: Db, limit: number) {
  const alerts = await db
    .selectFrom('alerts')
    .select([
      'id',
      'event',
      'status',
      'scope',
      'state',
      'drafted_by',
      'issued_at',
      'incident_id',
      'recipient_count',
    ])
    .where('issued_at', 'is not', null)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  if (alerts.length === 0) return [];
  const ids = alerts.map((a) => a.id);
  const [countries, headlines] = await Promise.all([
    db.selectFrom('alert_countries').select(['alert_id', 'country']).where('alert_id', 'in', ids).execute(),
    db
      .selectFrom('alert_infos')
      .select(['alert_id', 'headline'])
      .where('alert_id', 'in', ids)
      .where('position', '=', 0)
      .execute(),
  ]);
  return alerts.map((a) => ({
    ...a,
    countries: countries.filter((c) => c.alert_id === a.id).map((c) => c.country),
    headline: headlines.find((h) => h.alert_id === a.id)?.headline ?? null,
  }));
}

/** Events of incidents, by id. */
export async function findIncidentEvents(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('incidents').select(['id', 'event']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.event]));
}

// ------------------------------------------------------------------------------------------- people

/** One recipient as the board counts them (the vulnerabilities arrive decrypted, as JSON text). */
export type BoardPersonRow = {
  person_id: string;
  country: string | null;
  sex: string;
  birth_year: number | null;
  h3_cell: string | null;
  vulnerabilities: string;
  reached: number;
  answer: string | null;
  open_help: number;
};

/** The facts of a person the board counts, as SQL columns over `x.person_id`. */
const personFacts = (board: BoardAlerts) => {
  const ids = idList(board.alertIds);
  return sql`
    case when exists (select 1 from deliveries d where d.person_id = x.person_id and d.alert_id in (${ids})
      and d.state in ('sent', 'delivered')) then 1 else 0 end as reached,
    (select r.answer from responses r where r.person_id = x.person_id and r.alert_id in (${ids})
      order by r.received_at desc, r.id desc limit 1) as answer,
    case when exists (select 1 from help_requests h where h.person_id = x.person_id and h.status <> 'closed'
      and (h.alert_id in (${ids}) or h.created_at >= ${board.since})) then 1 else 0 end as open_help`;
};

/**
 * The next batch of a board's recipients after `after`, in person id order, each once (with the
 * country the first of its alerts found them in), with the facts the board counts.
 */
export async function findBoardPeople(
  db: Db,
  board: BoardAlerts,
  p: { scope: CountScope; after: string | null; limit: number },
): Promise<BoardPersonRow[]> {
  const after = p.after === null ? sql`` : sql` and ar.person_id > ${p.after}`;
  const where = sql`ar.alert_id in (${idList(board.alertIds)})${after}${countScope(p.scope, sql`ar.country`)}`;
  // One alert lists each person once already: its batch is a walk of the primary key that stops at the
  // limit. Several alerts need the grouping, which reads their remaining recipients to sort them.
  const batch =
    board.alertIds.length === 1
      ? sql`select ar.person_id, ar.country from alert_recipients ar where ${where}
          order by ar.person_id limit ${p.limit}`
      : sql`select ar.person_id, min(ar.country) as country from alert_recipients ar where ${where}
          group by ar.person_id order by ar.person_id limit ${p.limit}`;
  const { rows } = await sql<BoardPersonRow>`
    select x.person_id, x.country, p.sex, p.birth_year, p.h3_cell, p.vulnerabilities, ${personFacts(board)}
    from (${batch}) x
    join persons p on p.id = x.person_id
    order by x.person_id`.execute(db);
  return rows;
}

/** `and …` keeping persons (alias p) within a viewer's scope; scopes other roles never have list nobody. */
function personScopeSql(scope: PersonScope): RawBuilder<unknown> {
  switch (scope.kind) {
    case 'all':
      return sql``;
    case 'countries':
      return scope.countries.length
        ? sql` and p.location_country in (${sql.join(scope.countries.map((c) => sql`${c}`))})`
        : sql` and 1 = 0`;
    case 'employer':
    case 'partner':
    case 'none':
      return sql` and 1 = 0`;
    default: {
      const exhaustive: never = scope;
      return exhaustive;
    }
  }
}

/** A person not heard from, as the unaccounted list shows them. */
export type UnaccountedRow = {
  person_id: string;
  given_names: string;
  family_name: string | null;
  location_country: string | null;
  nationality: string | null;
  employer_id: string | null;
  reached: number;
  on_call_list: number;
};

/**
 * The next page of a board's recipients with no answer and no open help request, within a viewer's
 * scope (by where the person is now), in person id order after `after`.
 */
export async function findUnaccountedPage(
  db: Db,
  board: BoardAlerts,
  p: { scope: PersonScope; after: string | null; limit: number },
): Promise<UnaccountedRow[]> {
  const ids = idList(board.alertIds);
  const after = p.after === null ? sql`` : sql` and ar.person_id > ${p.after}`;
  const { rows } = await sql<UnaccountedRow>`
    select x.person_id, p.given_names, p.family_name, p.location_country, p.nationality, p.employer_id,
      case when exists (select 1 from deliveries d where d.person_id = x.person_id and d.alert_id in (${ids})
        and d.state in ('sent', 'delivered')) then 1 else 0 end as reached,
      case when exists (select 1 from call_list c where c.person_id = x.person_id and c.alert_id in (${ids})
        and c.status = 'open') then 1 else 0 end as on_call_list
    from (select ${board.alertIds.length === 1 ? sql`` : sql`distinct `}ar.person_id from alert_recipients ar
      where ar.alert_id in (${ids})${after}) x
    join persons p on p.id = x.person_id
    where not exists (select 1 from responses r where r.person_id = x.person_id and r.alert_id in (${ids}))
      and not exists (select 1 from help_requests h where h.person_id = x.person_id and h.status <> 'closed'
        and (h.alert_id in (${ids}) or h.created_at >= ${board.since}))${personScopeSql(p.scope)}
    order by x.person_id
    limit ${p.limit}`.execute(db);
  return rows;
}

/** The deliveries of a board's alerts to some people: channel and state. */
export async function findDeliveryStates(db: Db, board: BoardAlerts, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('deliveries')
    .select(['person_id', 'channel', 'state'])
    .where('person_id', 'in', personIds)
    .where('alert_id', 'in', [...board.alertIds])
    .orderBy('id')
    .execute();
}

// ------------------------------------------------------------------------------------------ figures

/** Answers to a board's alerts counted per minute and kind, by recipients within the count scope. */
export async function findTimelineRows(db: Db, board: BoardAlerts, scope: CountScope) {
  const ids = idList(board.alertIds);
  const within =
    scope.kind === 'all'
      ? sql``
      : sql` and exists (select 1 from alert_recipients ar where ar.alert_id = r.alert_id
          and ar.person_id = r.person_id${countScope(scope, sql`ar.country`)})`;
  const { rows } = await sql<{ minute: string; answer: string; n: number }>`
    select substr(r.received_at, 1, 16) as minute, r.answer, count(*) as n
    from responses r where r.alert_id in (${ids})${within}
    group by substr(r.received_at, 1, 16), r.answer`.execute(db);
  return rows.map((r) => ({ minute: r.minute, answer: r.answer, n: Number(r.n) }));
}

/** Follow-ups decided and call-list entries of a board's alerts, within the count scope. */
export async function countFollowUpWork(db: Db, board: BoardAlerts, scope: CountScope) {
  const ids = idList(board.alertIds);
  const recipient = (alias: string) =>
    scope.kind === 'all'
      ? sql``
      : sql` and exists (select 1 from alert_recipients ar where ar.alert_id = ${sql.ref(`${alias}.alert_id`)}
          and ar.person_id = ${sql.ref(`${alias}.person_id`)}${countScope(scope, sql`ar.country`)})`;
  const [followUps, calls] = await Promise.all([
    sql<{ outcome: string; n: number }>`
      select f.outcome, count(*) as n from follow_ups f where f.alert_id in (${ids})${recipient('f')}
      group by f.outcome`.execute(db),
    sql<{ status: string; n: number }>`
      select c.status, count(*) as n from call_list c where c.alert_id in (${ids})${recipient('c')}
      group by c.status`.execute(db),
  ]);
  return {
    followUps: followUps.rows.map((r) => ({ outcome: r.outcome, n: Number(r.n) })),
    calls: calls.rows.map((r) => ({ status: r.status, n: Number(r.n) })),
  };
}

/**
 * A cheap fingerprint of what a board depends on: answers, reached deliveries, help requests, follow-ups
 * and call-list entries. The live stream recounts a board only when this changes.
 */
export async function probeBoard(db: Db, board: BoardAlerts): Promise<string> {
  const ids = idList(board.alertIds);
  const { rows } = await sql<Record<string, unknown>>`
    select
      (select count(*) from responses where alert_id in (${ids})) as responses,
      (select max(created_at) from responses where alert_id in (${ids})) as last_response,
      (select count(*) from deliveries where alert_id in (${ids}) and state in ('sent', 'delivered')) as reached,
      (select count(*) from deliveries where alert_id in (${ids})) as deliveries,
      (select count(*) from help_requests where alert_id in (${ids}) or created_at >= ${board.since}) as help,
      (select max(updated_at) from help_requests where alert_id in (${ids}) or created_at >= ${board.since})
        as help_changed,
      (select count(*) from alert_recipients where alert_id in (${ids})) as recipients,
      (select max(updated_at) from call_list where alert_id in (${ids})) as calls_changed,
      (select count(*) from call_list where alert_id in (${ids})) as calls`.execute(db);
  return JSON.stringify(rows[0] ?? {});
}
