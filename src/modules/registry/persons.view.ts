import type { FieldCategory } from '../../domain/access/policy.ts';
import type { PersonRecord } from './persons.repository.ts';
import type { PersonView } from './persons.schema.ts';

/**
 * Maps stored rows to the API object for one viewer: the single place where the policy's field
 * visibility is applied. A category the viewer may not see is absent, not blanked.
 */
export function toPersonView(
  r: PersonRecord,
  fields: ReadonlySet<FieldCategory>,
  emergency = false,
): PersonView {
  const p = r.person;
  const contacts = (kind: string) =>
    r.contacts
      .filter((c) => c.kind === kind)
      .map((c) => ({ value: c.value, verified: c.verified === 1, consent: c.consent === 1 }));
  const view: PersonView = {
    id: p.id,
    visibleCategories: [...fields].sort(),
    emergencyAccess: emergency,
    givenNames: p.given_names,
    familyName: p.family_name,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
  if (fields.has('identity')) {
    Object.assign(view, {
      externalRef: p.external_ref,
      sex: p.sex,
      birthDate: p.birth_date,
      birthYear: p.birth_year,
      nationality: p.nationality,
      languages: r.languages,
      householdId: p.household_id,
      householdRole: p.household_role,
      employerId: p.employer_id,
    });
  }
  if (fields.has('contact')) Object.assign(view, { phones: contacts('phone'), emails: contacts('email') });
  if (fields.has('location')) {
    view.location = {
      lat: p.lat,
      lon: p.lon,
      country: p.location_country,
      address: p.address,
      h3Cell: p.h3_cell,
    };
  }
  if (fields.has('vulnerabilities')) {
    view.vulnerabilities = JSON.parse(p.vulnerabilities) as string[];
    view.documentStatus = p.document_status;
  }
  return view;
}
