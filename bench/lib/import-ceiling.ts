import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { locationCell } from '../../src/domain/registry/location.ts';
import { normalizeName } from '../../src/domain/registry/person.ts';
import { syntheticPerson } from './import-data.ts';
import { copyFrom, copyText } from './import-pg-copy.ts';

/**
 * The ceilings the import is measured against: the same persons written straight into the same
 * (migrated, indexed) tables with no checking, no matching and no ORM: prepared INSERTs in one
 * transaction on SQLite, COPY in one transaction on PostgreSQL. Rows are built outside the timed part.
 */

type Value = string | number | null;
type TableRows = {
  persons: Value[][];
  contacts: Value[][];
  languages: Value[][];
  households: Value[][];
  organizations: Value[][];
};

const PERSON_COLUMNS = [
  'id',
  'external_ref',
  'given_names',
  'family_name',
  'name_search',
  'sex',
  'birth_date',
  'birth_year',
  'nationality',
  'lat',
  'lon',
  'location_country',
  'address',
  'h3_cell',
  'household_id',
  'household_role',
  'employer_id',
  'vulnerabilities',
  'document_status',
  'created_at',
  'updated_at',
];
const CONTACT_COLUMNS = ['id', 'person_id', 'kind', 'value', 'verified', 'consent', 'rank', 'created_at'];
const LANGUAGE_COLUMNS = ['person_id', 'rank', 'language'];
const HOUSEHOLD_COLUMNS = ['id', 'label', 'kind', 'external_ref', 'created_at', 'updated_at'];
const ORGANIZATION_COLUMNS = ['id', 'name', 'type', 'country', 'created_at', 'updated_at'];

// Deterministic ids keep the rows of each table consistent without holding a map of every id.
const uuid = (kind: number, n: number) =>
  `00000000-0000-7000-8${kind.toString(16)}00-${n.toString(16).padStart(12, '0')}`;

/** Builds the table rows of persons [from, to), with households and employers seen for the first time. */
function buildRows(
  seed: number,
  from: number,
  to: number,
  seen: { households: Map<string, string>; employers: Map<string, string> },
): TableRows {
  const ts = new Date().toISOString();
  const out: TableRows = { persons: [], contacts: [], languages: [], households: [], organizations: [] };
  for (let i = from; i < to; i++) {
    const p = syntheticPerson(seed, i);
    const id = uuid(0, i);
    let householdId: string | null = null;
    if (p.householdRef) {
      householdId = seen.households.get(p.householdRef) ?? null;
      if (!householdId) {
        householdId = uuid(1, seen.households.size);
        seen.households.set(p.householdRef, householdId);
        out.households.push([householdId, p.householdRef, 'household', p.householdRef, ts, ts]);
      }
    }
    let employerId: string | null = null;
    if (p.employer) {
      employerId = seen.employers.get(p.employer) ?? null;
      if (!employerId) {
        employerId = uuid(2, seen.employers.size);
        seen.employers.set(p.employer, employerId);
        out.organizations.push([employerId, p.employer, 'employer', null, ts, ts]);
      }
    }
    out.persons.push([
      id,
      p.externalRef,
      p.givenNames,
      p.familyName,
      normalizeName(`${p.givenNames} ${p.familyName}`),
      p.sex,
      null,
      p.birthYear,
      p.nationality,
      p.lat,
      p.lon,
      p.country,
      p.address,
      locationCell(p.lat, p.lon),
      householdId,
      p.householdRole,
      employerId,
      JSON.stringify(p.vulnerabilities),
      p.documentStatus,
      ts,
      ts,
    ]);
    for (const [rank, phone] of p.phones.entries())
      out.contacts.push([uuid(3, i * 4 + rank), id, 'phone', phone, 0, 1, rank, ts]);
    if (p.email) out.contacts.push([uuid(3, i * 4 + 3), id, 'email', p.email, 0, 1, p.phones.length, ts]);
    for (const [rank, language] of p.languages.entries()) out.languages.push([id, rank, language]);
  }
  return out;
}

const CHUNK = 20_000;

/** Prepared INSERTs of `rows` persons (with contacts, languages, households, employers) in one transaction. */
export function sqliteCeiling(
  sqlite: SQLite.Database,
  seed: number,
  rows: number,
): { seconds: number; cpuSeconds: number } {
  const insert = (table: string, columns: string[]) =>
    sqlite.prepare(
      `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
  const persons = insert('persons', PERSON_COLUMNS);
  const contacts = insert('contacts', CONTACT_COLUMNS);
  const languages = insert('person_languages', LANGUAGE_COLUMNS);
  const households = insert('households', HOUSEHOLD_COLUMNS);
  const organizations = insert('organizations', ORGANIZATION_COLUMNS);
  const seen = { households: new Map<string, string>(), employers: new Map<string, string>() };
  let ms = 0;
  let cpu = 0;
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t = performance.now();
  let c = cpuNow();
  sqlite.exec('begin');
  ms += performance.now() - t;
  cpu += cpuNow() - c;
  for (let from = 0; from < rows; from += CHUNK) {
    const r = buildRows(seed, from, Math.min(rows, from + CHUNK), seen);
    t = performance.now();
    c = cpuNow();
    for (const row of r.organizations) organizations.run(row);
    for (const row of r.households) households.run(row);
    for (const row of r.persons) persons.run(row);
    for (const row of r.contacts) contacts.run(row);
    for (const row of r.languages) languages.run(row);
    ms += performance.now() - t;
    cpu += cpuNow() - c;
  }
  t = performance.now();
  c = cpuNow();
  sqlite.exec('commit');
  ms += performance.now() - t;
  cpu += cpuNow() - c;
  return { seconds: ms / 1000, cpuSeconds: cpu / 1000 };
}

const copyData = (rows: Value[][]) =>
  Buffer.from(rows.map((r) => `${r.map(copyText).join('\t')}\n`).join(''));

/** COPY of `rows` persons (with contacts, languages, households, employers) in one transaction. */
export async function postgresCopyCeiling(
  client: pg.ClientBase,
  seed: number,
  rows: number,
): Promise<{ seconds: number }> {
  const seen = { households: new Map<string, string>(), employers: new Map<string, string>() };
  const copy = (table: string, columns: string[], data: Buffer) =>
    data.length
      ? copyFrom(client, `copy ${table} (${columns.join(', ')}) from stdin`, data)
      : Promise.resolve();
  let ms = 0;
  let t = performance.now();
  await client.query('begin');
  ms += performance.now() - t;
  for (let from = 0; from < rows; from += CHUNK) {
    const r = buildRows(seed, from, Math.min(rows, from + CHUNK), seen);
    const data = [r.organizations, r.households, r.persons, r.contacts, r.languages].map(copyData);
    t = performance.now();
    await copy('organizations', ORGANIZATION_COLUMNS, data[0]!);
    await copy('households', HOUSEHOLD_COLUMNS, data[1]!);
    await copy('persons', PERSON_COLUMNS, data[2]!);
    await copy('contacts', CONTACT_COLUMNS, data[3]!);
    await copy('person_languages', LANGUAGE_COLUMNS, data[4]!);
    ms += performance.now() - t;
  }
  t = performance.now();
  await client.query('commit');
  ms += performance.now() - t;
  return { seconds: ms / 1000 };
}
