import { normalizeName } from '../../domain/registry/person.ts';
import type { PersonRecord, PersonRows } from '../registry/persons.repository.ts';
import type { ContactTable, PersonTable } from '../registry/registry.table.ts';
import { COLUMN_BIT } from './imports.columns.ts';

/** The registry's bound on contacts per person (validatePerson allows at most 10). */
export const MAX_CONTACTS = 10;

/**
 * A person as one import batch will leave them: created by the batch, or loaded from the registry
 * and changed by one or more rows of the file.
 */
export type WorkingPerson = {
  isNew: boolean;
  person: PersonTable;
  contacts: ContactTable[];
  languages: string[];
  /** Some field, contact or language differs from what is stored. */
  changed: boolean;
  languagesChanged: boolean;
  /** Contacts to insert for a stored person (stored contacts are never removed by an import). */
  addedContacts: ContactTable[];
};

/** A person the batch creates, from the rows of its first row. */
export function newWorkingPerson(rows: PersonRows): WorkingPerson {
  return {
    isNew: true,
    person: rows.person,
    contacts: rows.contacts,
    languages: rows.languages.map((l) => l.language),
    changed: true,
    languagesChanged: true,
    addedContacts: [],
  };
}

/** A stored person the batch may change. */
export function storedWorkingPerson(record: PersonRecord): WorkingPerson {
  return {
    isNew: false,
    person: { ...record.person },
    contacts: record.contacts.map((c) => ({ ...c })),
    languages: [...record.languages],
    changed: false,
    languagesChanged: false,
    addedContacts: [],
  };
}

type PersonField = keyof PersonTable;

// Which stored fields each column replaces when its cell is not empty.
const COLUMN_FIELDS: [number, PersonField[]][] = [
  [COLUMN_BIT.external_ref, ['external_ref']],
  [COLUMN_BIT.given_names, ['given_names']],
  [COLUMN_BIT.family_name, ['family_name']],
  [COLUMN_BIT.sex, ['sex']],
  [COLUMN_BIT.birth_date, ['birth_date', 'birth_year']],
  [COLUMN_BIT.nationality, ['nationality']],
  [COLUMN_BIT.lat | COLUMN_BIT.lon, ['lat', 'lon', 'h3_cell']],
  [COLUMN_BIT.country, ['location_country']],
  [COLUMN_BIT.address, ['address']],
  [COLUMN_BIT.household_ref, ['household_id', 'household_role']],
  [COLUMN_BIT.employer, ['employer_id']],
  [COLUMN_BIT.vulnerabilities, ['vulnerabilities']],
  [COLUMN_BIT.document_status, ['document_status']],
];

export type ApplyResult =
  | { ok: true; changed: boolean }
  | { ok: false; code: string; field: string; message: string };

/**
 * Applies a later row for the same person. A non-empty cell replaces the stored value; an empty cell,
 * or a column the file does not have, keeps it. Phones and e-mails are added to the stored contacts
 * (which keep their verified flag and consent); languages replace the stored list, in the row's order.
 * `fresh` is the row mapped with toPersonRows; `filled` says which of its cells were not empty.
 */
export function applyRow(
  w: WorkingPerson,
  fresh: PersonRows,
  filled: number,
  updatedAt: string,
): ApplyResult {
  const next = fresh.person;
  const added: ContactTable[] = [];
  for (const c of fresh.contacts) {
    if (w.contacts.some((s) => s.kind === c.kind && s.value === c.value)) continue;
    if (added.some((s) => s.kind === c.kind && s.value === c.value)) continue;
    added.push(c);
  }
  if (w.contacts.length + added.length > MAX_CONTACTS) {
    return {
      ok: false,
      code: 'person.too_many_items',
      field: 'phone',
      message: `the person would have more than ${MAX_CONTACTS} contacts`,
    };
  }

  let changed = false;
  const set = <K extends PersonField>(field: K, value: PersonTable[K]) => {
    if (w.person[field] !== value) {
      w.person[field] = value;
      changed = true;
    }
  };
  for (const [bits, fields] of COLUMN_FIELDS) {
    if ((filled & bits) === 0) continue;
    for (const f of fields) set(f, next[f]);
  }
  if ((filled & COLUMN_BIT.birth_year) !== 0 && (filled & COLUMN_BIT.birth_date) === 0) {
    set('birth_year', next.birth_year);
    if (w.person.birth_date !== null && Number(w.person.birth_date.slice(0, 4)) !== next.birth_year)
      set('birth_date', null);
  }
  if (
    (filled & COLUMN_BIT.household_role) !== 0 &&
    (filled & COLUMN_BIT.household_ref) === 0 &&
    w.person.household_id
  ) {
    set('household_role', next.household_role ?? w.person.household_role);
  }
  if ((filled & (COLUMN_BIT.given_names | COLUMN_BIT.family_name)) !== 0) {
    set('name_search', normalizeName(`${w.person.given_names} ${w.person.family_name ?? ''}`));
  }

  if ((filled & COLUMN_BIT.languages) !== 0) {
    const langs = fresh.languages.map((l) => l.language);
    if (langs.length !== w.languages.length || langs.some((l, i) => l !== w.languages[i])) {
      w.languages = langs;
      w.languagesChanged = true;
      changed = true;
    }
  }

  if (added.length) {
    let rank = w.contacts.reduce((max, c) => Math.max(max, c.rank), -1);
    for (const c of added) {
      const contact = { ...c, person_id: w.person.id, rank: ++rank };
      w.contacts.push(contact);
      if (!w.isNew) w.addedContacts.push(contact);
    }
    changed = true;
  }
  if (changed) {
    w.changed = true;
    w.person.updated_at = updatedAt;
  }
  return { ok: true, changed };
}

/** The key under which a person is found again by phone: the number and the normalised full name. */
export const phoneNameKey = (phone: string, nameSearch: string) => `${phone}\u0000${nameSearch}`;
