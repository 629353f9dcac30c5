// Queries of the officers' call list: a page of entries within a viewer's scope, with what a call needs
// (the person's name and consented phones), and recording a call's outcome.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonScope } from '../../domain/access/policy.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The call-list entries of a page: the entry, its alert and its person. */
export async function findCallListPage(
  db: Db,
  f: {
    scope: PersonScope;
    status: 'open' | 'closed';
    alertId?: string;
    postId?: string;
    after?: string;
    limit: number;
  },
) {
  let q = db
    .selectFrom('call_list as c')
    .innerJoin('alerts as a', 'a.id', 'c.alert_id')
    .innerJoin('persons as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.alert_id',
      'c.person_id',
      'c.status',
      'c.outcome',
      'c.attempts',
      'c.last_attempt_at',
      'c.created_at',
      'c.closed_at',
      'a.event',
      'a.status as alert_status',
      'p.given_names',
      'p.family_name',
      'p.location_country',
      'p.nationality',
      'p.employer_id',
    ])
    .where('c.status', '=', f.status);
  if (f.alertId) q = q.where('c.alert_id', '=', f.alertId);
  if (f.postId) {
    const postId = f.postId;
    q = q.where('p.location_country', 'in', (eb) =>
      eb.selectFrom('post_jurisdictions').select('country').where('post_id', '=', postId),
    );
  }
  if (f.after) q = q.where('c.id', '>', f.after);
  switch (f.scope.kind) {
    case 'all':
      break;
    case 'countries':
      q = f.scope.countries.length
        ? q.where('p.location_country', 'in', f.scope.countries)
        : q.where(sql<boolean>`1 = 0`);
      break;
    case 'employer':
    case 'partner':
    case 'none':
      // Only operational roles work the call list; any other scope lists nobody.
      q = q.where(sql<boolean>`1 = 0`);
      break;
    default: {
      const exhaustive: never = f.scope;
      return exhaustive;
    }
  }
  return q.orderBy('c.id').limit(f.limit).execute();
}

/** Each person's consented phone numbers, in the order they gave them. */
export async function findPhones(db: Db, personIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('contacts')
    .select(['person_id', 'value'])
    .where('person_id', 'in', personIds)
    .where('kind', '=', 'phone')
    .where('consent', '=', 1)
    .orderBy('person_id')
    .orderBy('rank')
    .execute();
  for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.value]);
  return out;
}

/** One entry with the facts about its person that access depends on. */
export async function findCallListEntry(db: Db, id: string) {
  return db
    .selectFrom('call_list as c')
    .innerJoin('persons as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.alert_id',
      'c.person_id',
      'c.status',
      'c.attempts',
      'p.location_country',
      'p.nationality',
      'p.employer_id',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** Writes a call's outcome on an open entry; false when the entry is no longer open (someone else closed it). */
export async function writeCallOutcome(
  db: Db,
  p: { id: string; outcome: string; closes: boolean; userId: string; now: string },
): Promise<boolean> {
  const result = await db
    .updateTable('call_list')
    .set((eb) => ({
      outcome: p.outcome,
      attempts: eb('attempts', '+', 1),
      last_attempt_at: p.now,
      last_attempt_by: p.userId,
      status: p.closes ? 'closed' : 'open',
      closed_at: p.closes ? p.now : null,
      updated_at: p.now,
    }))
    .where('id', '=', p.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
