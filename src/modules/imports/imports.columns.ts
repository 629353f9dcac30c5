import type { FieldError, PersonInput } from '../../domain/registry/person.ts';

/** The columns an import file may have, in the order docs/import.md lists them. */
export const IMPORT_COLUMNS = [
  'external_ref',
  'given_names',
  'family_name',
  'sex',
  'birth_date',
  'birth_year',
  'nationality',
  'languages',
  'phone',
  'email',
  'lat',
  'lon',
  'country',
  'address',
  'household_ref',
  'household_role',
  'employer',
  'vulnerabilities',
  'document_status',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Other spellings found in exports from spreadsheets and other registries. */
const ALIASES: Record<string, ImportColumn> = {
  phones: 'phone',
  phone_number: 'phone',
  emails: 'email',
  language: 'languages',
  latitude: 'lat',
  longitude: 'lon',
  lng: 'lon',
  vulnerability: 'vulnerabilities',
  household: 'household_ref',
};

/** Bit of each column in a row's `filled` mask. */
export const COLUMN_BIT = Object.fromEntries(IMPORT_COLUMNS.map((c, i) => [c, 1 << i])) as Record<
  ImportColumn,
  number
>;

export const MAX_HOUSEHOLD_REF_LENGTH = 100;
export const MAX_EMPLOYER_NAME_LENGTH = 200;
/** More items than this in one list cell is not a person's data; checking them all would waste time. */
export const MAX_LIST_ITEMS = 20;

/** Where each known column sits in the file's records. */
export type ColumnLayout = {
  /** Index of each column present in the file. */
  index: Partial<Record<ImportColumn, number>>;
  /** Number of fields every record must have. */
  width: number;
  /** Header names that were not recognised and are ignored (only with ignoreUnknownColumns). */
  ignored: string[];
};

export type HeaderProblem = {
  code: 'import.missing_column' | 'import.unknown_column' | 'import.duplicate_column';
  message: string;
  columns: string[];
};

/** `Given Names`, `given-names` and `GIVEN_NAMES` all name the column given_names. */
export function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const shown = (name: string) => (name.length > 60 ? `${name.slice(0, 60)}…` : name);

/**
 * Maps a header record to columns. Empty header cells are ignored. An unrecognised name is a
 * request-level error unless `ignoreUnknownColumns` is set, because a misspelt column (`phone_nr`)
 * would otherwise drop that data from every row without a word.
 */
export function resolveColumns(
  header: string[],
  options: { ignoreUnknownColumns?: boolean } = {},
): { ok: true; layout: ColumnLayout } | { ok: false; problem: HeaderProblem } {
  const index: Partial<Record<ImportColumn, number>> = {};
  const unknown: string[] = [];
  const duplicate: string[] = [];
  header.forEach((raw, i) => {
    const name = normalizeHeader(raw);
    if (name === '') return;
    const column = (IMPORT_COLUMNS as readonly string[]).includes(name)
      ? (name as ImportColumn)
      : ALIASES[name];
    if (!column) unknown.push(shown(raw.trim()));
    else if (index[column] !== undefined) duplicate.push(column);
    else index[column] = i;
  });
  if (duplicate.length) {
    return {
      ok: false,
      problem: {
        code: 'import.duplicate_column',
        message: `columns named more than once: ${duplicate.join(', ')}`,
        columns: duplicate,
      },
    };
  }
  if (unknown.length && !options.ignoreUnknownColumns) {
    return {
      ok: false,
      problem: {
        code: 'import.unknown_column',
        message: `unknown columns: ${unknown.join(', ')} (see docs/import.md for the column names, or ignore them explicitly)`,
        columns: unknown,
      },
    };
  }
  if (index.given_names === undefined) {
    return {
      ok: false,
      problem: {
        code: 'import.missing_column',
        message: 'the required column given_names is missing',
        columns: ['given_names'],
      },
    };
  }
  return { ok: true, layout: { index, width: header.length, ignored: unknown } };
}

/** One data row read into the registry's input shape, with what the registry cannot resolve by itself. */
export type MappedRow = {
  input: PersonInput;
  /** Bit mask (COLUMN_BIT) of the columns with a non-empty cell in this row. */
  filled: number;
  householdRef: string | null;
  employerName: string | null;
  /** Problems found while reading cells (numbers, list sizes); validatePerson finds the rest. */
  errors: FieldError[];
};

const LIST_SEPARATOR = /[;|]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function splitList(text: string): string[] {
  return text
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A decimal number; a comma is accepted as the decimal mark, as semicolon-separated files often use it. */
function parseDecimal(text: string): number | undefined {
  const t = /^[+-]?\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return undefined;
  return Number(t);
}

function numberError(column: string, what: string): FieldError {
  return { code: 'import.number_invalid', field: column, message: `${column} must be ${what}` };
}

function listOf(column: ImportColumn, text: string, errors: FieldError[]): string[] {
  const items = splitList(text);
  if (items.length > MAX_LIST_ITEMS) {
    errors.push({
      code: 'person.too_many_items',
      field: column,
      message: `at most ${MAX_LIST_ITEMS} items in ${column}`,
    });
    return [];
  }
  return items;
}

function reference(column: ImportColumn, text: string, max: number, errors: FieldError[]): string | null {
  const value = text.normalize('NFC');
  if ([...value].length > max) {
    errors.push({
      code: 'person.field_too_long',
      field: column,
      message: `${column} is longer than ${max} characters`,
    });
    return null;
  }
  if (CONTROL_CHARS.test(value)) {
    errors.push({
      code: 'person.field_invalid',
      field: column,
      message: `${column} contains control characters`,
    });
    return null;
  }
  return value;
}

/**
 * Reads one record into PersonInput. Cells are trimmed; an empty cell counts as absent. A household
 * reference or an employer name sets a placeholder id, so that validatePerson applies its household rules;
 * the import replaces it with the real id once the household or employer is found or created.
 */
export function mapRow(fields: string[], layout: ColumnLayout): MappedRow {
  const errors: FieldError[] = [];
  let filled = 0;
  const cell = (column: ImportColumn): string => {
    const i = layout.index[column];
    if (i === undefined) return '';
    const text = fields[i]?.trim() ?? '';
    if (text !== '') filled |= COLUMN_BIT[column];
    return text;
  };

  const input: PersonInput = { givenNames: cell('given_names') };
  const externalRef = cell('external_ref');
  if (externalRef) input.externalRef = externalRef;
  const familyName = cell('family_name');
  if (familyName) input.familyName = familyName;
  const sex = cell('sex');
  if (sex) input.sex = sex;
  const birthDate = cell('birth_date');
  if (birthDate) input.birthDate = birthDate;
  const birthYear = cell('birth_year');
  if (birthYear) {
    if (/^\d{1,4}$/.test(birthYear)) input.birthYear = Number(birthYear);
    else errors.push(numberError('birth_year', 'a year such as 1987'));
  }
  const nationality = cell('nationality');
  if (nationality) input.nationality = nationality;
  const languages = cell('languages');
  if (languages) input.languages = listOf('languages', languages, errors);
  const phone = cell('phone');
  if (phone) input.phones = listOf('phone', phone, errors).map((value) => ({ value }));
  const email = cell('email');
  if (email) input.emails = listOf('email', email, errors).map((value) => ({ value }));

  const location: NonNullable<PersonInput['location']> = {};
  const lat = cell('lat');
  if (lat) {
    const n = parseDecimal(lat);
    if (n === undefined) errors.push(numberError('lat', 'a decimal number of degrees'));
    else location.lat = n;
  }
  const lon = cell('lon');
  if (lon) {
    const n = parseDecimal(lon);
    if (n === undefined) errors.push(numberError('lon', 'a decimal number of degrees'));
    else location.lon = n;
  }
  const country = cell('country');
  if (country) location.country = country;
  const address = cell('address');
  if (address) location.address = address;
  if (Object.keys(location).length) input.location = location;

  const householdText = cell('household_ref');
  const householdRef = householdText
    ? reference('household_ref', householdText, MAX_HOUSEHOLD_REF_LENGTH, errors)
    : null;
  if (householdRef) input.householdId = PLACEHOLDER_ID;
  const householdRole = cell('household_role');
  if (householdRole) input.householdRole = householdRole;
  const employerText = cell('employer');
  const employerName = employerText
    ? reference('employer', employerText, MAX_EMPLOYER_NAME_LENGTH, errors)
    : null;
  if (employerName) input.employerId = PLACEHOLDER_ID;
  const vulnerabilities = cell('vulnerabilities');
  if (vulnerabilities) input.vulnerabilities = listOf('vulnerabilities', vulnerabilities, errors);
  const documentStatus = cell('document_status');
  if (documentStatus) input.documentStatus = documentStatus;

  return { input, filled, householdRef, employerName, errors };
}

/** Stands in for a household or employer id until the import resolves it. */
export const PLACEHOLDER_ID = '00000000-0000-7000-8000-000000000000';

const FIELD_COLUMNS: Record<string, ImportColumn> = {
  externalRef: 'external_ref',
  givenNames: 'given_names',
  familyName: 'family_name',
  sex: 'sex',
  birthDate: 'birth_date',
  birthYear: 'birth_year',
  nationality: 'nationality',
  languages: 'languages',
  phones: 'phone',
  emails: 'email',
  contacts: 'phone',
  location: 'lat',
  'location.lat': 'lat',
  'location.lon': 'lon',
  'location.country': 'country',
  'location.address': 'address',
  householdId: 'household_ref',
  householdRole: 'household_role',
  employerId: 'employer',
  vulnerabilities: 'vulnerabilities',
  documentStatus: 'document_status',
};

/** The CSV column a validatePerson field path (`phones[1]`, `location.lat`) came from. */
export function columnOfField(field: string): string {
  const base = field.replace(/\[\d+\]$/, '');
  return FIELD_COLUMNS[base] ?? field;
}
