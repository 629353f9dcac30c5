import type { PersonRecord } from './persons.repository.ts';
import type { PersonView } from './persons.schema.ts';

/** Maps stored rows to the API object: the single place that decides what a person looks like outside. */
export function toPersonView(r: PersonRecord): PersonView {
  const p = r.person;
  const contacts = (kind: string) =>
    r.contacts
      .filter((c) => c.kind === kind)
      .map((c) => ({ value: c.value, verified: c.verified === 1, consent: c.consent === 1 }));
  return {
    id: p.id,
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
    location: { lat: p.lat, lon: p.lon, country: p.location_country, address: p.address, h3Cell: p.h3_cell },
    householdId: p.household_id,
    householdRole: p.household_role,
    employerId: p.employer_id,
    vulnerabilities: JSON.parse(p.vulnerabilities) as string[],
    documentStatus: p.document_status,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}
