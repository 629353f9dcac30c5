import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ActiveAgreement, AgreementCategory } from '../../domain/access/policy.ts';
import type {
  HelpRequestEventTable,
  HelpRequestPhotoTable,
  HelpRequestRow,
  HelpRequestTable,
} from './cases.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** What triage and routing need of a person: where they are and what makes them vulnerable. */
export async function findPersonForTriage(db: Db, id: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'location_country', 'lat', 'lon', 'vulnerabilities'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Posts whose jurisdiction holds any of the countries, with what ranks one post above another. */
export async function findPostsCovering(db: Db, countries: readonly string[]) {
  if (countries.length === 0) return [];
  return db
    .selectFrom('post_jurisdictions')
    .innerJoin('posts', 'posts.id', 'post_jurisdictions.post_id')
    .select([
      'post_jurisdictions.country as jurisdiction',
      'posts.id',
      'posts.country',
      'posts.kind',
      'posts.lat',
      'posts.lon',
      'posts.created_at',
    ])
    .where('post_jurisdictions.country', 'in', [...countries])
    .execute();
}

/** Every country some post covers: the only countries a request's location is tested against. */
export async function findCoveredCountries(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('post_jurisdictions').select('country').distinct().execute();
  return rows.map((r) => r.country);
}

/** A country's level declarations, with the geometry of the areas among them. */
export async function findLevelDeclarationsOf(db: Db, country: string) {
  return db
    .selectFrom('level_declarations')
    .leftJoin('named_areas', 'named_areas.id', 'level_declarations.area_id')
    .select([
      'level_declarations.id',
      'level_declarations.area_id',
      'level_declarations.country',
      'level_declarations.level',
      'level_declarations.reason',
      'level_declarations.effective_at',
      'level_declarations.declared_at',
      'level_declarations.declared_by',
      'named_areas.geometry',
    ])
    .where('level_declarations.country', '=', country)
    .execute();
}

export async function insertHelpRequest(db: Db, row: HelpRequestTable): Promise<void> {
  await db.insertInto('help_requests').values(row).execute();
}

export async function insertEvent(db: Db, row: HelpRequestEventTable): Promise<void> {
  await db.insertInto('help_request_events').values(row).execute();
}

export async function insertPhoto(db: Db, row: HelpRequestPhotoTable): Promise<void> {
  await db.insertInto('help_request_photos').values(row).execute();
}

/** One request; `lock` holds its row until the transaction ends (PostgreSQL; SQLite writes are serial). */
export function findHelpRequest(db: Db, id: string, lock = false): Promise<HelpRequestRow | undefined> {
  const q = db.selectFrom('help_requests').selectAll().where('id', '=', id);
  return (lock && db.getExecutor().adapter instanceof PostgresAdapter ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateHelpRequest(
  db: Db,
  id: string,
  change: Partial<
    Pick<HelpRequestTable, 'status' | 'assigned_to' | 'referred_to' | 'outcome' | 'closed_at' | 'updated_at'>
  >,
): Promise<void> {
  await db.updateTable('help_requests').set(change).where('id', '=', id).execute();
}

export function listRequestsOfPerson(db: Db, personId: string) {
  return db
    .selectFrom('help_requests')
    .select(['id', 'type', 'is_sos', 'status', 'priority', 'created_at', 'closed_at', 'outcome'])
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export type QueueFilter = {
  postId?: string;
  referredTo?: string;
  /** Statuses to show; empty means every status. */
  statuses: readonly string[];
  priority?: string;
  limit: number;
};

/** Most urgent first: 0 for critical ... 3 for low. */
const PRIORITY_RANK = sql<number>`case help_requests.priority when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

/** Kinds of event that count as acting on a request (for its SLA); a note alone does not. */
export const ACTING_EVENTS = ['status', 'assigned', 'referred', 'closed'] as const;

/**
 * A queue: requests of a post (or referred to a partner), most urgent priority first, then the
 * earliest deadline, with when each was first acted on.
 */
export async function listQueue(db: Db, f: QueueFilter) {
  let q = db
    .selectFrom('help_requests')
    .selectAll('help_requests')
    .select((eb) =>
      eb
        .selectFrom('help_request_events')
        .select((e) => e.fn.min('help_request_events.created_at').as('first')) // the first action
        .whereRef('help_request_events.help_request_id', '=', 'help_requests.id')
        .where('help_request_events.kind', 'in', [...ACTING_EVENTS])
        .as('acted_at'),
    )
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('help_request_photos')
            .select('help_request_photos.id')
            .whereRef('help_request_photos.help_request_id', '=', 'help_requests.id'),
        )
        .as('has_photo'),
    );
  if (f.postId) q = q.where('help_requests.post_id', '=', f.postId);
  if (f.referredTo) q = q.where('help_requests.referred_to', '=', f.referredTo);
  if (f.statuses.length > 0) q = q.where('help_requests.status', 'in', [...f.statuses]);
  if (f.priority) q = q.where('help_requests.priority', '=', f.priority);
  return q
    .orderBy(PRIORITY_RANK)
    .orderBy('help_requests.sla_due_at')
    .orderBy('help_requests.id')
    .limit(f.limit)
    .execute();
}

/** When the request was first acted on, if it was. */
export async function findActedAt(db: Db, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('help_request_events')
    .select((e) => e.fn.min('created_at').as('first'))
    .where('help_request_id', '=', id)
    .where('kind', 'in', [...ACTING_EVENTS])
    .executeTakeFirst();
  return (row?.first as string | null | undefined) ?? null;
}

export function listEvents(db: Db, id: string) {
  return db
    .selectFrom('help_request_events')
    .selectAll()
    .where('help_request_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The photo's facts without its bytes. */
export function findPhotoMeta(db: Db, requestId: string) {
  return db
    .selectFrom('help_request_photos')
    .select(['id', 'content_type', 'size_bytes'])
    .where('help_request_id', '=', requestId)
    .executeTakeFirst();
}

export function findPhoto(db: Db, requestId: string) {
  return db
    .selectFrom('help_request_photos')
    .select(['id', 'content_type', 'size_bytes', 'photo_enc'])
    .where('help_request_id', '=', requestId)
    .executeTakeFirst();
}

/** Names of persons, for the queue (the caller decides who may see them). */
export function findPersonNames(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('persons')
    .select(['id', 'given_names', 'family_name', 'location_country', 'nationality', 'employer_id'])
    .where('id', 'in', [...ids])
    .execute();
}

/** Users by id: the officers a request names. */
export function findUsers(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'organization_id', 'post_id', 'disabled'])
    .where('id', 'in', [...ids])
    .execute();
}

/** Active users of an organisation, for choosing whom to assign. */
export function findOrganizationUsers(db: Db, organizationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'organization_id', 'post_id', 'disabled'])
    .where('organization_id', '=', organizationId)
    .where('disabled', '=', 0)
    .orderBy('email')
    .limit(500)
    .execute();
}

export function findOrganizations(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'type'])
    .where('id', 'in', [...ids])
    .execute();
}

export function findPost(db: Db, id: string) {
  return db
    .selectFrom('posts')
    .select(['id', 'name', 'organization_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The jurisdiction of each post. */
export async function findJurisdictions(db: Db, postIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (postIds.length === 0) return out;
  const rows = await db
    .selectFrom('post_jurisdictions')
    .select(['post_id', 'country'])
    .where('post_id', 'in', [...postIds])
    .execute();
  for (const r of rows) out.set(r.post_id, [...(out.get(r.post_id) ?? []), r.country]);
  return out;
}

export async function findPostJurisdiction(db: Db, postId: string | null): Promise<string[]> {
  if (!postId) return [];
  const rows = await db
    .selectFrom('post_jurisdictions')
    .select('country')
    .where('post_id', '=', postId)
    .execute();
  return rows.map((r) => r.country);
}

/** An organisation's agreements in force on the day of `now`, as the policy reads them. */
export async function findActiveAgreements(
  db: Db,
  organizationId: string,
  now: Date,
): Promise<ActiveAgreement[]> {
  const today = now.toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('agreements')
    .selectAll()
    .where('partner_org_id', '=', organizationId)
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .where('ended_at', 'is', null)
    .execute();
  return rows.map((a) => ({
    id: a.id,
    purpose: a.purpose,
    categories: JSON.parse(a.categories) as AgreementCategory[],
    countries: JSON.parse(a.scope_countries) as string[],
    nationalities: JSON.parse(a.scope_nationalities) as string[],
  }));
}

/** Partner organisations a request may be referred to (international organisations and NGOs). */
export function findPartnerOrganizations(db: Db) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'type'])
    .where('type', 'in', ['international_org', 'ngo'])
    .orderBy('name')
    .limit(500)
    .execute();
}
