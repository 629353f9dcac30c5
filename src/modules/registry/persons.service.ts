import { getResolution, isValidCell } from 'h3-js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { cellRangeOf } from '../../domain/geo/cell-range.ts';
import { toAlpha2 } from '../../domain/reference/countries.ts';
import { H3_RESOLUTION, locationCell } from '../../domain/registry/location.ts';
import {
  type ContactValue,
  type FieldError,
  normalizeName,
  normalizePhone,
  type PersonInput,
  type PersonValues,
  validatePerson,
} from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import {
  deletePersonRow,
  findPersonsByIds,
  insertPerson,
  type PersonFilter,
  type PersonRecord,
  type PersonRows,
  replacePerson,
} from './persons.repository.ts';
import type { ContactTable } from './registry.table.ts';

/** Rows for one person, ready to insert: the mapping from checked values to tables, in one place. */
export function toPersonRows(id: string, v: PersonValues, createdAt: string, updatedAt: string): PersonRows {
  const { lat, lon } = v.location;
  const contact = (kind: string, c: ContactValue, rank: number): ContactTable => ({
    id: newId(),
    person_id: id,
    kind,
    value: c.value,
    verified: c.verified ? 1 : 0,
    consent: c.consent ? 1 : 0,
    rank,
    created_at: updatedAt,
  });
  return {
    person: {
      id,
      external_ref: v.externalRef,
      given_names: v.givenNames,
      family_name: v.familyName,
      name_search: normalizeName(`${v.givenNames} ${v.familyName ?? ''}`),
      sex: v.sex,
      birth_date: v.birthDate,
      birth_year: v.birthYear,
      nationality: v.nationality,
      lat,
      lon,
      location_country: v.location.country,
      address: v.location.address,
      h3_cell: lat !== null && lon !== null ? locationCell(lat, lon) : null,
      household_id: v.householdId,
      household_role: v.householdRole,
      employer_id: v.employerId,
      vulnerabilities: JSON.stringify(v.vulnerabilities),
      document_status: v.documentStatus,
      created_at: createdAt,
      updated_at: updatedAt,
    },
    contacts: [
      ...v.phones.map((c, i) => contact('phone', c, i)),
      ...v.emails.map((c, i) => contact('email', c, v.phones.length + i)),
    ],
    languages: v.languages.map((language, rank) => ({ person_id: id, rank, language })),
  };
}

/** Turns stored rows back into the input shape, so a PATCH can merge into it and re-validate. */
export function toPersonInput(r: PersonRecord): PersonInput {
  const p = r.person;
  const contacts = (kind: string) =>
    r.contacts
      .filter((c) => c.kind === kind)
      .map((c) => ({ value: c.value, verified: c.verified === 1, consent: c.consent === 1 }));
  return {
    externalRef: p.external_ref,
    givenNames: p.given_names,
    familyName: p.family_name,
    sex: p.sex,
    birthDate: p.birth_date,
    birthYear: p.birth_year,
    nationality: p.nationality,
    languages: r.languages,
    phones: contacts('phone'),
    emails: contacts('email'),
    location: { lat: p.lat, lon: p.lon, country: p.location_country, address: p.address },
    householdId: p.household_id,
    householdRole: p.household_role,
    employerId: p.employer_id,
    vulnerabilities: JSON.parse(p.vulnerabilities) as string[],
    documentStatus: p.document_status,
  };
}

function invalid(errors: FieldError[]): AppError {
  return new AppError('person.invalid', 'The person record has invalid fields', 422, { errors });
}

async function checkReferences(db: Kysely<DB>, v: PersonValues): Promise<void> {
  const errors: FieldError[] = [];
  if (v.householdId) {
    const h = await db
      .selectFrom('households')
      .select('id')
      .where('id', '=', v.householdId)
      .executeTakeFirst();
    if (!h)
      errors.push({ code: 'person.household_not_found', field: 'householdId', message: 'no such household' });
  }
  if (v.employerId) {
    const o = await db
      .selectFrom('organizations')
      .select('type')
      .where('id', '=', v.employerId)
      .executeTakeFirst();
    if (!o)
      errors.push({
        code: 'person.employer_not_found',
        field: 'employerId',
        message: 'no such organization',
      });
    else if (o.type !== 'employer')
      errors.push({
        code: 'person.employer_not_employer',
        field: 'employerId',
        message: 'the organization is not an employer',
      });
  }
  if (v.externalRef) {
    // Checked here for a clear code; the unique index still guards against a race.
    const other = await db
      .selectFrom('persons')
      .select('id')
      .where('external_ref', '=', v.externalRef)
      .executeTakeFirst();
    if (other)
      throw new AppError(
        'person.external_ref_taken',
        'Another person already has this external reference',
        409,
      );
  }
  if (errors.length) throw invalid(errors);
}

/** Registers a new person. */
export async function createPerson(
  db: Kysely<DB>,
  input: PersonInput,
  now = new Date(),
): Promise<PersonRecord> {
  const checked = validatePerson(input, now);
  if (!checked.ok) throw invalid(checked.errors);
  await checkReferences(db, checked.value);
  const id = newId(now.getTime());
  const ts = now.toISOString();
  const rows = toPersonRows(id, checked.value, ts, ts);
  await db.transaction().execute((trx) => insertPerson(trx, rows.person, rows.contacts, rows.languages));
  return (await findPersonsByIds(db, [id]))[0]!;
}

/** One person by id, or `person.not_found`. */
export async function getPerson(db: Kysely<DB>, id: string): Promise<PersonRecord> {
  const [record] = await findPersonsByIds(db, [id]);
  if (!record) throw new AppError('person.not_found', 'Person not found', 404);
  return record;
}

/** Applies a partial change: fields present in `patch` replace the stored ones, then the whole is re-checked. */
export async function updatePerson(
  db: Kysely<DB>,
  id: string,
  patch: Partial<PersonInput>,
  now = new Date(),
): Promise<PersonRecord> {
  return db.transaction().execute(async (trx) => {
    const [current] = await findPersonsByIds(trx, [id]);
    if (!current) throw new AppError('person.not_found', 'Person not found', 404);
    const before = toPersonInput(current);
    const merged: PersonInput = { ...before, ...patch };
    if (patch.location !== undefined)
      merged.location = patch.location === null ? null : { ...before.location, ...patch.location };
    const checked = validatePerson(merged, now);
    if (!checked.ok) throw invalid(checked.errors);
    const refChanged = checked.value.externalRef !== current.person.external_ref;
    await checkReferences(trx as unknown as Kysely<DB>, {
      ...checked.value,
      externalRef: refChanged ? checked.value.externalRef : null,
    });
    const rows = toPersonRows(id, checked.value, current.person.created_at, now.toISOString());
    await replacePerson(trx, rows.person, rows.contacts, rows.languages);
    return (await findPersonsByIds(trx, [id]))[0]!;
  });
}

/** Removes a person and their contacts. */
export async function deletePerson(db: Kysely<DB>, id: string): Promise<void> {
  const deleted = await db.transaction().execute((trx) => deletePersonRow(trx, id));
  if (!deleted) throw new AppError('person.not_found', 'Person not found', 404);
}

export type PersonSearch = {
  name?: string;
  phone?: string;
  country?: string;
  area?: string;
  bbox?: string;
  householdId?: string;
  employerId?: string;
  cursor?: string;
  limit?: number;
};

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('request.bad_cursor', 'The cursor is not valid', 400);
  return id;
}

/** Parses search parameters into a repository filter, with coded errors for each bad one. */
export function toPersonFilter(s: PersonSearch): PersonFilter {
  const limit = Math.min(Math.max(s.limit ?? 50, 1), 200);
  const f: PersonFilter = { limit: limit + 1 };
  if (s.name?.trim()) f.nameTokens = normalizeName(s.name).split(' ').filter(Boolean).slice(0, 5);
  if (s.phone?.trim()) {
    const phone = normalizePhone(s.phone);
    if (!phone)
      throw new AppError(
        'search.phone_invalid',
        'The phone number is not valid (use international format)',
        400,
      );
    f.phone = phone;
  }
  if (s.country) {
    const c = toAlpha2(s.country);
    if (!c) throw new AppError('search.country_unknown', 'Not an ISO 3166-1 country code', 400);
    f.country = c;
  }
  if (s.area) {
    if (!isValidCell(s.area) || getResolution(s.area) > H3_RESOLUTION) {
      throw new AppError('search.area_invalid', 'area must be an H3 cell of resolution 0 to 9', 400);
    }
    f.cellRange = cellRangeOf(s.area);
  }
  if (s.bbox) {
    const parts = s.bbox.split(',').map(Number);
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (
      parts.length !== 4 ||
      parts.some((n) => !Number.isFinite(n)) ||
      minLon! < -180 ||
      maxLon! > 180 ||
      minLat! < -90 ||
      maxLat! > 90 ||
      minLon! > maxLon! ||
      minLat! > maxLat!
    ) {
      throw new AppError('search.bbox_invalid', 'bbox must be minLon,minLat,maxLon,maxLat within range', 400);
    }
    f.bbox = { minLon: minLon!, minLat: minLat!, maxLon: maxLon!, maxLat: maxLat! };
  }
  if (s.householdId) f.householdId = s.householdId;
  if (s.employerId) f.employerId = s.employerId;
  if (s.cursor) f.afterId = decodeCursor(s.cursor);
  return f;
}

/**
 * Splits the ids a filter fetched (one more than the page size, to tell whether more follow) into the
 * page and the cursor of the next page.
 */
export function splitPage(
  ids: string[],
  filter: PersonFilter,
): { page: string[]; nextCursor: string | null } {
  const more = ids.length >= filter.limit;
  const page = more ? ids.slice(0, filter.limit - 1) : ids;
  return { page, nextCursor: more && page.length ? encodeCursor(page[page.length - 1]!) : null };
}
