import { type ExpressionBuilder, type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonScope } from '../../domain/access/policy.ts';
import type {
  ContactRow,
  ContactTable,
  PersonLanguageTable,
  PersonRow,
  PersonTable,
} from './registry.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type PersonRecord = { person: PersonRow; contacts: ContactRow[]; languages: string[] };

export type PersonFilter = {
  scope?: PersonScope;
  nameTokens?: string[];
  phone?: string;
  country?: string;
  cellRange?: { lo: string; hi: string };
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  householdId?: string;
  employerId?: string;
  afterId?: string;
  limit: number;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Inserts a person with contacts and languages; call inside the service's transaction. */
export async function insertPerson(
  db: Db,
  person: PersonTable,
  contacts: ContactTable[],
  languages: PersonLanguageTable[],
): Promise<void> {
  await db.insertInto('persons').values(person).execute();
  if (contacts.length) await db.insertInto('contacts').values(contacts).execute();
  if (languages.length) await db.insertInto('person_languages').values(languages).execute();
}

export type PersonRows = { person: PersonTable; contacts: ContactTable[]; languages: PersonLanguageTable[] };

// Rows per multi-row INSERT: below SQLite's 32,766 bound variables and PostgreSQL's 65,535 parameters.
const CHUNK = { persons: 1000, contacts: 3000, person_languages: 8000 } as const;

async function insertChunked<T extends keyof typeof CHUNK>(
  db: Db,
  table: T,
  rows: Insertable<DB[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK[table]) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK[table]) as never)
      .execute();
  }
}

/**
 * Inserts many persons with multi-row INSERTs: the bulk path of imports and the demo seed. Call it
 * inside a transaction so a batch lands whole or not at all.
 */
export async function insertPersonRows(db: Db, batch: PersonRows[]): Promise<void> {
  await insertChunked(
    db,
    'persons',
    batch.map((b) => b.person),
  );
  await insertChunked(
    db,
    'contacts',
    batch.flatMap((b) => b.contacts),
  );
  await insertChunked(
    db,
    'person_languages',
    batch.flatMap((b) => b.languages),
  );
}

/** Replaces a person's row, contacts and languages. */
export async function replacePerson(
  db: Db,
  person: PersonTable,
  contacts: ContactTable[],
  languages: PersonLanguageTable[],
): Promise<void> {
  const { id, created_at: _created, ...rest } = person;
  await db.updateTable('persons').set(rest).where('id', '=', id).execute();
  await db.deleteFrom('contacts').where('person_id', '=', id).execute();
  await db.deleteFrom('person_languages').where('person_id', '=', id).execute();
  if (contacts.length) await db.insertInto('contacts').values(contacts).execute();
  if (languages.length) await db.insertInto('person_languages').values(languages).execute();
}

export async function deletePersonRow(db: Db, id: string): Promise<boolean> {
  const res = await db.deleteFrom('persons').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Loads persons with their contacts and languages, in the order of `ids`. */
export async function findPersonsByIds(db: Db, ids: string[]): Promise<PersonRecord[]> {
  if (ids.length === 0) return [];
  const [persons, contacts, languages] = await Promise.all([
    db.selectFrom('persons').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('contacts').selectAll().where('person_id', 'in', ids).orderBy('rank').execute(),
    db.selectFrom('person_languages').selectAll().where('person_id', 'in', ids).orderBy('rank').execute(),
  ]);
  const byId = new Map(persons.map((p) => [p.id, p]));
  return ids.flatMap((id) => {
    const person = byId.get(id);
    if (!person) return [];
    return [
      {
        person,
        contacts: contacts.filter((c) => c.person_id === id),
        languages: languages.filter((l) => l.person_id === id).map((l) => l.language),
      },
    ];
  });
}

/** Person ids matching a filter, in id order (ids are time-ordered), one page at a time. */
export async function searchPersonIds(db: Db, f: PersonFilter): Promise<string[]> {
  let q = db.selectFrom('persons').select('persons.id');
  for (const token of f.nameTokens ?? []) {
    q = q.where(sql<boolean>`persons.name_search like ${`%${escapeLike(token)}%`} escape '\\'`);
  }
  if (f.phone) {
    const phone = f.phone;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contacts')
          .select('contacts.id')
          .whereRef('contacts.person_id', '=', 'persons.id')
          .where('contacts.kind', '=', 'phone')
          .where('contacts.value', '=', phone),
      ),
    );
  }
  if (f.country) q = q.where('persons.location_country', '=', f.country);
  if (f.cellRange)
    q = q.where('persons.h3_cell', '>=', f.cellRange.lo).where('persons.h3_cell', '<=', f.cellRange.hi);
  if (f.bbox) {
    q = q
      .where('persons.lat', '>=', f.bbox.minLat)
      .where('persons.lat', '<=', f.bbox.maxLat)
      .where('persons.lon', '>=', f.bbox.minLon)
      .where('persons.lon', '<=', f.bbox.maxLon);
  }
  if (f.householdId) q = q.where('persons.household_id', '=', f.householdId);
  if (f.employerId) q = q.where('persons.employer_id', '=', f.employerId);
  if (f.afterId) q = q.where('persons.id', '>', f.afterId);
  if (f.scope) q = applyScope(q, f.scope);
  const rows = await q.orderBy('persons.id').limit(f.limit).execute();
  return rows.map((r) => r.id);
}

/** The latest consent statement about sharing with `orgId` (or with any partner) is a grant. */
const consentGranted = (orgId: string) =>
  sql<boolean>`(select c.status from consents c where c.person_id = persons.id and (c.organization_id = ${orgId} or c.organization_id is null) order by c.recorded_at desc, c.id desc limit 1) = 'granted'`;

// biome-ignore lint/suspicious/noExplicitAny: the query builder's generic type is long and irrelevant here
function applyScope<Q extends { where: (...args: any[]) => any }>(q: Q, scope: PersonScope): Q {
  switch (scope.kind) {
    case 'all':
      return q;
    case 'none':
      return q.where(sql<boolean>`1 = 0`);
    case 'countries':
      return scope.countries.length
        ? q.where('persons.location_country', 'in', scope.countries)
        : q.where(sql<boolean>`1 = 0`);
    case 'employer':
      return q.where('persons.employer_id', '=', scope.organizationId);
    case 'partner':
      return q.where((eb: ExpressionBuilder<DB, 'persons'>) =>
        eb.and([
          eb.or(
            scope.agreements.map((a) =>
              eb.and([
                ...(a.countries.length ? [eb('persons.location_country', 'in', a.countries)] : []),
                ...(a.nationalities.length ? [eb('persons.nationality', 'in', a.nationalities)] : []),
              ]),
            ),
          ),
          consentGranted(scope.organizationId),
        ]),
      );
    default: {
      const exhaustive: never = scope;
      return exhaustive;
    }
  }
}

/** Consent and emergency-override facts about persons, as the access policy needs them. */
export async function findAccessFacts(
  db: Db,
  ids: string[],
  viewer: { userId: string; organizationId: string },
  nowIso: string,
) {
  if (ids.length === 0) return { consents: [], overrides: [] };
  const [consents, overrides] = await Promise.all([
    db
      .selectFrom('consents')
      .select(['person_id', 'organization_id', 'status', 'recorded_at', 'id'])
      .where('person_id', 'in', ids)
      .where((eb) =>
        eb.or([eb('organization_id', '=', viewer.organizationId), eb('organization_id', 'is', null)]),
      )
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('emergency_overrides')
      .select(['person_id'])
      .where('person_id', 'in', ids)
      .where('user_id', '=', viewer.userId)
      .where('expires_at', '>', nowIso)
      .execute(),
  ]);
  return { consents, overrides };
}

/** Which of these external references already exist, mapped to their person ids. */
export async function findIdsByExternalRefs(db: Db, refs: string[]): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const rows = await db
    .selectFrom('persons')
    .select(['id', 'external_ref'])
    .where('external_ref', 'in', refs)
    .execute();
  return new Map(rows.map((r) => [r.external_ref!, r.id]));
}

/** Which of these E.164 phones already belong to a person, mapped to the person's id. */
export async function findIdsByPhones(db: Db, phones: string[]): Promise<Map<string, string>> {
  if (phones.length === 0) return new Map();
  const rows = await db
    .selectFrom('contacts')
    .select(['person_id', 'value'])
    .where('kind', '=', 'phone')
    .where('value', 'in', phones)
    .execute();
  return new Map(rows.map((r) => [r.value, r.person_id]));
}

export async function countPersons(db: Db): Promise<number> {
  const row = await db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
