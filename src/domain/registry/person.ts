import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { findCountry } from '../reference/countries.ts';
import { canonicalLanguageTag } from '../reference/languages.ts';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/**
 * Vulnerabilities Haven records, each because it changes what is done for the person in a crisis:
 * triage priority, evacuation tier, seat type or the need for a travel document.
 */
export const VULNERABILITIES = [
  'pregnant',
  'child',
  'unaccompanied_child',
  'elderly',
  'disability',
  'medical',
  'chronic_illness',
  'trafficking_survivor',
  'violence_survivor',
  'detained',
  'passport_held_by_employer',
] as const;
export type Vulnerability = (typeof VULNERABILITIES)[number];

/** Where the person's passport is: decides who needs an emergency travel document before evacuation. */
export const DOCUMENT_STATUSES = ['with_person', 'held_by_employer', 'lost', 'none', 'unknown'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const ORGANIZATION_TYPES = [
  'origin_state',
  'host_state',
  'international_org',
  'ngo',
  'employer',
  'transport',
] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const POST_KINDS = ['embassy', 'consulate', 'mission'] as const;
export const HOUSEHOLD_KINDS = ['household', 'group'] as const;
export const HOUSEHOLD_ROLES = ['head', 'member'] as const;

export const MAX_NAME_LENGTH = 200;
export const MAX_ADDRESS_LENGTH = 500;
export const MAX_EMAIL_LENGTH = 254;

/** One problem with one field of an input: a stable code, the field, and a message without personal data. */
export type FieldError = { code: string; field: string; message: string };

/**
 * Lower-cases and strips combining marks so that "José Rizal", "JOSE RIZAL" and "jose rizal" match,
 * while scripts without case (Arabic, Ethiopic) pass through unchanged apart from their vowel marks.
 */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\u0640/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Normalises a phone number to E.164, using the default country for national formats. */
export function normalizePhone(raw: string, defaultCountry?: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > 40) return undefined;
  const parsed = parsePhoneNumberFromString(
    text,
    (defaultCountry?.toUpperCase() as CountryCode) || undefined,
  );
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/u;

/** Lower-cases the domain and checks the shape of an e-mail address; returns undefined if unusable. */
export function normalizeEmail(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length > MAX_EMAIL_LENGTH || !EMAIL_RE.test(text)) return undefined;
  const at = text.lastIndexOf('@');
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
}

/** A person's fields as entered by an officer, an import row or the migrant app, before checking. */
export type PersonInput = {
  externalRef?: string | null;
  givenNames: string;
  familyName?: string | null;
  sex?: string | null;
  birthDate?: string | null;
  birthYear?: number | null;
  nationality?: string | null;
  languages?: string[];
  phones?: { value: string; verified?: boolean; consent?: boolean }[];
  emails?: { value: string; verified?: boolean; consent?: boolean }[];
  location?: {
    lat?: number | null;
    lon?: number | null;
    country?: string | null;
    address?: string | null;
  } | null;
  householdId?: string | null;
  householdRole?: string | null;
  employerId?: string | null;
  vulnerabilities?: string[];
  documentStatus?: string | null;
};

export type ContactValue = { value: string; verified: boolean; consent: boolean };

/** A person's fields after checking and normalisation: what the registry stores. */
export type PersonValues = {
  externalRef: string | null;
  givenNames: string;
  familyName: string | null;
  sex: Sex;
  birthDate: string | null;
  birthYear: number | null;
  nationality: string | null;
  languages: string[];
  phones: ContactValue[];
  emails: ContactValue[];
  location: { lat: number | null; lon: number | null; country: string | null; address: string | null };
  householdId: string | null;
  householdRole: 'head' | 'member' | null;
  employerId: string | null;
  vulnerabilities: Vulnerability[];
  documentStatus: DocumentStatus;
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function checkText(
  errors: FieldError[],
  field: string,
  value: string | null | undefined,
  max: number,
  required: boolean,
): string | null {
  const text = value?.normalize('NFC').trim() ?? '';
  if (text === '') {
    if (required) errors.push({ code: 'person.field_required', field, message: `${field} is required` });
    return null;
  }
  if ([...text].length > max) {
    errors.push({
      code: 'person.field_too_long',
      field,
      message: `${field} is longer than ${max} characters`,
    });
    return null;
  }
  if (CONTROL_CHARS.test(text)) {
    errors.push({ code: 'person.field_invalid', field, message: `${field} contains control characters` });
    return null;
  }
  return text;
}

function checkDate(errors: FieldError[], raw: string, now: Date): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !date || date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1) {
    errors.push({
      code: 'person.birth_date_invalid',
      field: 'birthDate',
      message: 'birthDate must be a date YYYY-MM-DD',
    });
    return null;
  }
  if (date > now || date.getUTCFullYear() < 1900) {
    errors.push({
      code: 'person.birth_date_out_of_range',
      field: 'birthDate',
      message: 'birthDate must be between 1900 and today',
    });
    return null;
  }
  return m[0];
}

function checkContacts(
  errors: FieldError[],
  field: 'phones' | 'emails',
  list: { value: string; verified?: boolean; consent?: boolean }[] | undefined,
  normalize: (v: string) => string | undefined,
): ContactValue[] {
  const out: ContactValue[] = [];
  const seen = new Set<string>();
  (list ?? []).forEach((c, i) => {
    const value = normalize(c.value ?? '');
    if (!value) {
      errors.push({
        code: field === 'phones' ? 'person.phone_invalid' : 'person.email_invalid',
        field: `${field}[${i}]`,
        message: field === 'phones' ? 'not a valid phone number' : 'not a valid e-mail address',
      });
      return;
    }
    if (seen.has(value)) return;
    seen.add(value);
    out.push({ value, verified: c.verified === true, consent: c.consent !== false });
  });
  return out;
}

/**
 * Checks and normalises a person's fields. Returns every problem found, not only the first, so an
 * import report or a form can show them all at once.
 */
export function validatePerson(
  input: PersonInput,
  now: Date = new Date(),
): { ok: true; value: PersonValues } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const givenNames = checkText(errors, 'givenNames', input.givenNames, MAX_NAME_LENGTH, true);
  const familyName = checkText(errors, 'familyName', input.familyName, MAX_NAME_LENGTH, false);
  const externalRef = checkText(errors, 'externalRef', input.externalRef, 100, false);

  const sexRaw = (input.sex ?? 'unknown').trim().toLowerCase() || 'unknown';
  const sexAlias: Record<string, Sex> = { f: 'female', m: 'male', x: 'other', u: 'unknown' };
  const sex = (SEXES as readonly string[]).includes(sexRaw) ? (sexRaw as Sex) : sexAlias[sexRaw];
  if (!sex)
    errors.push({
      code: 'person.sex_invalid',
      field: 'sex',
      message: `sex must be one of ${SEXES.join(', ')}`,
    });

  const birthDate = input.birthDate ? checkDate(errors, input.birthDate, now) : null;
  let birthYear = input.birthYear ?? null;
  if (birthDate) birthYear = Number(birthDate.slice(0, 4));
  else if (
    birthYear !== null &&
    (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > now.getUTCFullYear())
  ) {
    errors.push({
      code: 'person.birth_year_out_of_range',
      field: 'birthYear',
      message: 'birthYear must be between 1900 and this year',
    });
    birthYear = null;
  }

  let nationality: string | null = null;
  if (input.nationality) {
    nationality = findCountry(input.nationality)?.alpha2 ?? null;
    if (!nationality)
      errors.push({
        code: 'person.country_unknown',
        field: 'nationality',
        message: 'nationality is not an ISO 3166-1 country code',
      });
  }

  const languages: string[] = [];
  (input.languages ?? []).forEach((tag, i) => {
    const canonical = canonicalLanguageTag(tag);
    if (!canonical)
      errors.push({
        code: 'person.language_invalid',
        field: `languages[${i}]`,
        message: 'not a BCP 47 language tag',
      });
    else if (!languages.includes(canonical)) languages.push(canonical);
  });
  if (languages.length > 10)
    errors.push({ code: 'person.too_many_items', field: 'languages', message: 'at most 10 languages' });

  const loc = input.location ?? {};
  let country: string | null = null;
  if (loc.country) {
    country = findCountry(loc.country)?.alpha2 ?? null;
    if (!country)
      errors.push({
        code: 'person.country_unknown',
        field: 'location.country',
        message: 'location.country is not an ISO 3166-1 country code',
      });
  }
  const lat = loc.lat ?? null;
  const lon = loc.lon ?? null;
  if ((lat === null) !== (lon === null)) {
    errors.push({
      code: 'person.coordinates_incomplete',
      field: 'location',
      message: 'give both lat and lon, or neither',
    });
  } else if (lat !== null && lon !== null) {
    if (!Number.isFinite(lat) || lat < -90 || lat > 90)
      errors.push({
        code: 'person.coordinates_out_of_range',
        field: 'location.lat',
        message: 'lat must be between -90 and 90',
      });
    if (!Number.isFinite(lon) || lon < -180 || lon > 180)
      errors.push({
        code: 'person.coordinates_out_of_range',
        field: 'location.lon',
        message: 'lon must be between -180 and 180',
      });
  }
  const address = checkText(errors, 'location.address', loc.address, MAX_ADDRESS_LENGTH, false);

  const phones = checkContacts(errors, 'phones', input.phones, (v) =>
    normalizePhone(v, country ?? undefined),
  );
  const emails = checkContacts(errors, 'emails', input.emails, normalizeEmail);
  if (phones.length + emails.length > 10)
    errors.push({ code: 'person.too_many_items', field: 'contacts', message: 'at most 10 contacts' });

  const vulnerabilities: Vulnerability[] = [];
  (input.vulnerabilities ?? []).forEach((v, i) => {
    const code = v.trim().toLowerCase();
    if (!(VULNERABILITIES as readonly string[]).includes(code)) {
      errors.push({
        code: 'person.vulnerability_unknown',
        field: `vulnerabilities[${i}]`,
        message: `unknown vulnerability code; use one of ${VULNERABILITIES.join(', ')}`,
      });
    } else if (!vulnerabilities.includes(code as Vulnerability)) vulnerabilities.push(code as Vulnerability);
  });

  const docRaw = (input.documentStatus ?? 'unknown').trim().toLowerCase() || 'unknown';
  if (!(DOCUMENT_STATUSES as readonly string[]).includes(docRaw)) {
    errors.push({
      code: 'person.document_status_invalid',
      field: 'documentStatus',
      message: `documentStatus must be one of ${DOCUMENT_STATUSES.join(', ')}`,
    });
  }
  const role = input.householdRole ? input.householdRole.trim().toLowerCase() : null;
  if (role && !(HOUSEHOLD_ROLES as readonly string[]).includes(role)) {
    errors.push({
      code: 'person.household_role_invalid',
      field: 'householdRole',
      message: 'householdRole must be head or member',
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      externalRef,
      givenNames: givenNames!,
      familyName,
      sex: sex!,
      birthDate,
      birthYear,
      nationality,
      languages,
      phones,
      emails,
      location: { lat, lon, country, address },
      householdId: input.householdId ?? null,
      householdRole: input.householdId ? ((role as 'head' | 'member' | null) ?? 'member') : null,
      employerId: input.employerId ?? null,
      vulnerabilities,
      documentStatus: docRaw as DocumentStatus,
    },
  };
}

/** The age band of a birth year at a given time, for aggregates that must not reveal exact ages. */
export function ageBand(birthYear: number | null, now: Date): string {
  if (birthYear === null) return 'unknown';
  const age = now.getUTCFullYear() - birthYear;
  if (age < 18) return '0-17';
  if (age < 30) return '18-29';
  if (age < 45) return '30-44';
  if (age < 60) return '45-59';
  return '60+';
}
