import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ContactTable, PersonTable } from '../registry/registry.table.ts';
import type { ImportRejectionTable, ImportTable } from './imports.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

// Rows per multi-row INSERT, below SQLite's 32,766 bound variables.
const CHUNK = 2000;

async function insertChunked<
  T extends 'import_rejections' | 'households' | 'organizations' | 'contacts' | 'person_languages',
>(db: Db, table: T, rows: DB[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
  }
}

export async function insertImport(db: Db, row: ImportTable): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

export async function updateImport(
  db: Db,
  id: string,
  change: Partial<Omit<ImportTable, 'id'>>,
): Promise<void> {
  await db.updateTable('imports').set(change).where('id', '=', id).execute();
}

export async function findImport(db: Db, id: string): Promise<ImportTable | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRejections(db: Db, rows: ImportRejectionTable[]): Promise<void> {
  await insertChunked(db, 'import_rejections', rows);
}

/** One page of an import's rejections, in file order, after a given row number. */
export async function listRejections(
  db: Db,
  importId: string,
  afterRow: number,
  limit: number,
): Promise<ImportRejectionTable[]> {
  return db
    .selectFrom('import_rejections')
    .selectAll()
    .where('import_id', '=', importId)
    .where('row_number', '>', afterRow)
    .orderBy('row_number')
    .limit(limit)
    .execute();
}

/** Households by external reference: the ones that exist, mapped to their ids. */
export async function findHouseholdIds(db: Db, refs: string[]): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const rows = await db
    .selectFrom('households')
    .select(['id', 'external_ref'])
    .where('external_ref', 'in', refs)
    .execute();
  return new Map(rows.map((r) => [r.external_ref!, r.id]));
}

/** Creates households, leaving alone any reference another writer created meanwhile. */
export async function insertHouseholds(db: Db, rows: DB['households'][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('households')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.column('external_ref').doNothing())
      .execute();
  }
}

export async function listEmployers(db: Db): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('type', '=', 'employer')
    .orderBy('id')
    .execute();
}

export async function insertOrganizations(db: Db, rows: DB['organizations'][]): Promise<void> {
  await insertChunked(db, 'organizations', rows);
}

export type PhoneHolder = { phone: string; id: string; externalRef: string | null; nameSearch: string };

/** Every person holding one of these E.164 phones, with what the import needs to tell them apart. */
export async function findPhoneHolders(db: Db, phones: string[]): Promise<PhoneHolder[]> {
  if (phones.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .innerJoin('persons', 'persons.id', 'contacts.person_id')
    .select(['contacts.value', 'persons.id', 'persons.external_ref', 'persons.name_search'])
    .where('contacts.kind', '=', 'phone')
    .where('contacts.value', 'in', phones)
    .execute();
  return rows.map((r) => ({
    phone: r.value,
    id: r.id,
    externalRef: r.external_ref,
    nameSearch: r.name_search,
  }));
}

/**
 * Writes changed persons: their row, added contacts, and (where they changed) their languages.
 * Call inside the batch's transaction.
 */
export async function updatePersonRows(
  db: Db,
  persons: PersonTable[],
  addedContacts: ContactTable[],
  languages: { personId: string; languages: string[] }[],
): Promise<void> {
  for (const person of persons) {
    const { id, created_at: _created, ...rest } = person;
    await db.updateTable('persons').set(rest).where('id', '=', id).execute();
  }
  const ids = languages.map((l) => l.personId);
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .deleteFrom('person_languages')
      .where('person_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
  }
  await insertChunked(
    db,
    'person_languages',
    languages.flatMap((l) =>
      l.languages.map((language, rank) => ({ person_id: l.personId, rank, language })),
    ),
  );
  await insertChunked(db, 'contacts', addedContacts);
}
