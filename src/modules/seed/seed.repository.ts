import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { HouseholdTable } from '../registry/registry.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** How many persons were not made by the demo seed (no external reference, or one without the demo prefix). */
export async function countNonDemoPersons(db: Db, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('external_ref', 'is', null), eb('external_ref', 'not like', `${prefix}%`)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type StoredDemoPerson = { external_ref: string; given_names: string; family_name: string | null };

/** The demo persons already stored under these references, with the names that tell one seed from another. */
export async function findDemoPersons(db: Db, refs: string[]): Promise<StoredDemoPerson[]> {
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom('persons')
    .select(['external_ref', 'given_names', 'family_name'])
    .where('external_ref', 'in', refs)
    .execute();
  return rows.map((r) => ({ ...r, external_ref: r.external_ref! }));
}

/** Household ids by external reference, for those that exist. */
export async function findHouseholdIds(db: Db, refs: string[]): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const rows = await db
    .selectFrom('households')
    .select(['id', 'external_ref'])
    .where('external_ref', 'in', refs)
    .execute();
  return new Map(rows.map((r) => [r.external_ref!, r.id]));
}

// Rows per multi-row INSERT, below both databases' bound-parameter limits (6 columns a row).
const HOUSEHOLD_CHUNK = 2000;

export async function insertHouseholds(db: Db, rows: HouseholdTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += HOUSEHOLD_CHUNK) {
    await db
      .insertInto('households')
      .values(rows.slice(i, i + HOUSEHOLD_CHUNK))
      .execute();
  }
}

/** Removes every demo person (their contacts and languages cascade) and demo household. */
export async function deleteDemoPeople(
  db: Db,
  prefix: string,
): Promise<{ persons: number; households: number }> {
  const persons = await db
    .deleteFrom('persons')
    .where('external_ref', 'like', `${prefix}%`)
    .executeTakeFirst();
  const households = await db
    .deleteFrom('households')
    .where('external_ref', 'like', `${prefix}%`)
    .executeTakeFirst();
  return { persons: Number(persons.numDeletedRows), households: Number(households.numDeletedRows) };
}

/** The id of an organisation with exactly this name, type and country, if there is one. */
export async function findOrganizationId(
  db: Db,
  name: string,
  type: string,
  country: string | null,
): Promise<string | undefined> {
  let q = db.selectFrom('organizations').select('id').where('name', '=', name).where('type', '=', type);
  q = country === null ? q.where('country', 'is', null) : q.where('country', '=', country);
  return (await q.executeTakeFirst())?.id;
}

/** The id of a post of this organisation with exactly this name, if there is one. */
export async function findPostId(db: Db, organizationId: string, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('posts')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.id;
}
