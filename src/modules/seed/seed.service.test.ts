import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { validatePerson } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { listPosts } from '../registry/directory.service.ts';
import { countPersons, findPersonsByIds, type PersonRecord } from '../registry/persons.repository.ts';
import { createPerson, toPersonInput } from '../registry/persons.service.ts';
import { seedDemo } from './seed.service.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const PEOPLE = 2000;

let a: TestDatabase;
let b: TestDatabase;
before(async () => {
  [a, b] = await Promise.all([openTestDatabase(), openTestDatabase()]);
});
after(async () => {
  await Promise.all([a?.drop(), b?.drop()]);
});

async function allPersons(database: TestDatabase): Promise<PersonRecord[]> {
  const rows = await database.db.selectFrom('persons').select('id').orderBy('external_ref').execute();
  const out: PersonRecord[] = [];
  for (let i = 0; i < rows.length; i += 500)
    out.push(
      ...(await findPersonsByIds(
        database.db,
        rows.slice(i, i + 500).map((r) => r.id),
      )),
    );
  return out;
}

/** What a person is, without generated ids and timestamps: household and employer by reference and name. */
async function snapshot(database: TestDatabase) {
  const { db } = database;
  const households = new Map(
    (await db.selectFrom('households').select(['id', 'external_ref']).execute()).map((h) => [
      h.id,
      h.external_ref,
    ]),
  );
  const orgs = new Map(
    (await db.selectFrom('organizations').select(['id', 'name']).execute()).map((o) => [o.id, o.name]),
  );
  return (await allPersons(database)).map(({ person: p, contacts, languages }) => ({
    ref: p.external_ref,
    names: [p.given_names, p.family_name],
    sex: p.sex,
    birth: [p.birth_date, p.birth_year],
    location: [p.lat, p.lon, p.location_country, p.address, p.h3_cell],
    vulnerabilities: p.vulnerabilities,
    documentStatus: p.document_status,
    household: [p.household_id ? households.get(p.household_id) : null, p.household_role],
    employer: p.employer_id ? orgs.get(p.employer_id) : null,
    contacts: contacts.map((c) => [c.kind, c.value, c.verified, c.consent]),
    languages,
  }));
}

const rejects = (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (err: unknown) => err instanceof AppError && err.code === code);

describe('seedDemo', () => {
  test('seeds the population, the ministry with posts in every host, partners and employers', async () => {
    const progress: number[] = [];
    const summary = await seedDemo(a, {
      people: PEOPLE,
      seed: 1,
      now: NOW,
      batchSize: 700,
      onProgress: (p) => progress.push(p.generated),
    });
    assert.equal(summary.created, PEOPLE);
    assert.equal(summary.skipped, 0);
    assert.equal(await countPersons(a.db), PEOPLE);
    assert.equal(
      Object.values(summary.byCountry).reduce((s, n) => s + n, 0),
      PEOPLE,
    );
    assert.equal(progress.at(-1), PEOPLE);
    assert.ok(progress.length >= 3 && progress.every((n, i) => i === 0 || n > progress[i - 1]!));

    const posts = await listPosts(a.db);
    assert.equal(posts.length, summary.posts.created);
    const ministry = await a.db
      .selectFrom('organizations')
      .selectAll()
      .where('type', '=', 'origin_state')
      .executeTakeFirstOrThrow();
    assert.equal(ministry.name, 'Department of Foreign Affairs (demo)');
    for (const p of posts) {
      assert.ok(p.jurisdiction.length > 0, p.name);
      assert.equal(p.organizationId, ministry.id);
    }
    const covered = new Set(posts.flatMap((p) => p.jurisdiction));
    for (const country of Object.keys(summary.byCountry))
      assert.ok(covered.has(country), `a post covers ${country}`);
    const types = new Set(
      (await a.db.selectFrom('organizations').select('type').execute()).map((o) => o.type),
    );
    assert.deepEqual([...types].sort(), [
      'employer',
      'host_state',
      'international_org',
      'ngo',
      'origin_state',
      'transport',
    ]);

    const shares = await a.db
      .selectFrom('persons')
      .select((eb) => ['location_country', eb.fn.countAll<number>().as('n')])
      .groupBy('location_country')
      .execute();
    const share = (c: string) => Number(shares.find((s) => s.location_country === c)?.n ?? 0) / PEOPLE;
    assert.ok(Math.abs(share('SA') - 0.25) < 0.05, `SA ${share('SA')}`);
    assert.ok(Math.abs(share('AE') - 0.2) < 0.05, `AE ${share('AE')}`);
    assert.ok(Math.abs(share('HK') - 0.12) < 0.04, `HK ${share('HK')}`);
  });

  test('every stored person validates, with valid E.164 phones, and employers are employers', async () => {
    const employers = new Set(
      (await a.db.selectFrom('organizations').select('id').where('type', '=', 'employer').execute()).map(
        (o) => o.id,
      ),
    );
    const persons = await allPersons(a);
    assert.equal(persons.length, PEOPLE);
    for (const record of persons) {
      const checked = validatePerson(toPersonInput(record), NOW);
      assert.ok(
        checked.ok,
        `${record.person.external_ref}: ${checked.ok ? '' : JSON.stringify(checked.errors)}`,
      );
      for (const c of record.contacts.filter((x) => x.kind === 'phone')) {
        assert.equal(parsePhoneNumberFromString(c.value)?.number, c.value);
        assert.ok(parsePhoneNumberFromString(c.value)?.isValid(), c.value);
      }
      if (record.person.employer_id) assert.ok(employers.has(record.person.employer_id));
    }
    assert.ok(
      persons.some((r) => JSON.parse(r.person.vulnerabilities).includes('passport_held_by_employer')),
    );
  });

  test('the same seed gives the same people in another database', async () => {
    await seedDemo(b, { people: PEOPLE, seed: 1, now: NOW });
    const [left, right] = await Promise.all([snapshot(a), snapshot(b)]);
    assert.equal(left.length, PEOPLE);
    assert.deepEqual(right, left);
  });

  test('running again adds nobody; a larger run adds only the missing people', async () => {
    const again = await seedDemo(a, { people: PEOPLE, seed: 1, now: NOW });
    assert.equal(again.created, 0);
    assert.equal(again.skipped, PEOPLE);
    assert.equal(again.organizations.created, 0);
    assert.equal(again.posts.created, 0);
    assert.equal(await countPersons(a.db), PEOPLE);

    const more = await seedDemo(a, { people: PEOPLE + 300, seed: 1, now: NOW });
    assert.equal(more.created, 300);
    assert.equal(await countPersons(a.db), PEOPLE + 300);
  });

  test('another seed over demo people is refused unless they are replaced', async () => {
    await rejects(seedDemo(a, { people: 100, seed: 2, now: NOW }), 'seed.demo_mismatch');
    const replaced = await seedDemo(a, { people: 500, seed: 2, now: NOW, replace: true });
    assert.equal(replaced.removed, PEOPLE + 300);
    assert.equal(replaced.created, 500);
    assert.equal(await countPersons(a.db), 500);
    const households = await a.db.selectFrom('households').select('id').execute();
    assert.equal(households.length, replaced.households, 'earlier demo households went with their people');
  });

  test('a registry with real people is refused unless forced; bad options are refused', async () => {
    await createPerson(a.db, { givenNames: 'Test', familyName: 'Person', externalRef: 'CASE-1' }, NOW);
    await rejects(seedDemo(a, { people: 10, seed: 2, now: NOW }), 'seed.registry_not_empty');
    const forced = await seedDemo(a, { people: 600, seed: 2, now: NOW, force: true });
    assert.equal(forced.created, 100);
    assert.equal(await countPersons(a.db), 601);

    await rejects(seedDemo(b, { people: 10, seed: 1, origin: 'ZZ' }), 'seed.origin_unsupported');
    await rejects(seedDemo(b, { people: 0, seed: 1 }), 'seed.people_invalid');
    await rejects(seedDemo(b, { people: 10, seed: -1 }), 'seed.seed_invalid');
  });
});
