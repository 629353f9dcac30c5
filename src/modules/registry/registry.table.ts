import type { Generated, Insertable, Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings on both databases; booleans are 0/1 integers on both.

export type OrganizationTable = {
  id: string;
  name: string;
  type: string;
  country: string | null;
  created_at: string;
  updated_at: string;
};

export type PostTable = {
  id: string;
  organization_id: string;
  name: string;
  kind: string;
  country: string;
  city: string | null;
  lat: number | null;
  lon: number | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  created_at: string;
  updated_at: string;
};

export type PostJurisdictionTable = { post_id: string; country: string };

export type HouseholdTable = {
  id: string;
  label: string;
  kind: string;
  external_ref: string | null;
  created_at: string;
  updated_at: string;
};

export type PersonTable = {
  id: string;
  external_ref: string | null;
  given_names: string;
  family_name: string | null;
  name_search: string;
  sex: string;
  birth_date: string | null;
  birth_year: number | null;
  nationality: string | null;
  lat: number | null;
  lon: number | null;
  location_country: string | null;
  address: string | null;
  h3_cell: string | null;
  household_id: string | null;
  household_role: string | null;
  employer_id: string | null;
  /** JSON array of vulnerability codes. */
  vulnerabilities: string;
  document_status: string;
  created_at: string;
  updated_at: string;
};

export type PersonLanguageTable = { person_id: string; rank: number; language: string };

export type ContactTable = {
  id: string;
  person_id: string;
  kind: string;
  value: string;
  verified: number;
  consent: number;
  rank: number;
  created_at: string;
};

export type PersonRow = Selectable<PersonTable>;
export type NewPersonRow = Insertable<PersonTable>;
export type ContactRow = Selectable<ContactTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type PostRow = Selectable<PostTable>;
export type HouseholdRow = Selectable<HouseholdTable>;
export type { Generated };
