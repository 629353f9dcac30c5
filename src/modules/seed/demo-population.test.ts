import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { containsPoint, countryBoundary } from '../../domain/reference/boundaries.ts';
import { validatePerson } from '../../domain/registry/person.ts';
import { type DemoUnit, demoDirectory, demoPersonRef, generateDemoPopulation } from './demo-population.ts';
import { HOST_PROFILES } from './host-places.ts';
import { originProfile } from './origin-profiles.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const PH = originProfile('PH')!;
const ET = originProfile('ET')!;
const generate = (people: number, seed = 1, profile = PH): DemoUnit[] => [
  ...generateDemoPopulation({ profile, seed, people, now: NOW }),
];
const personsOf = (units: DemoUnit[]) => units.flatMap((u) => u.members);
const ageOf = (p: { birthYear?: number | null }) => NOW.getUTCFullYear() - (p.birthYear ?? 0);

const population = generate(5000);
const people = personsOf(population);

describe('demo population', () => {
  test('is a function of the seed: same seed, same people; a larger run extends a smaller one', () => {
    assert.deepEqual(generate(1200), generate(1200));
    assert.notDeepEqual(personsOf(generate(300, 2)), personsOf(generate(300, 1)));
    assert.deepEqual(personsOf(generate(700)), people.slice(0, 700));
  });

  test('has exactly the number of people asked for, numbered DEMO-PH-000001 upwards', () => {
    assert.equal(people.length, 5000);
    assert.deepEqual(
      people.map((p) => p.externalRef),
      people.map((_, i) => demoPersonRef('PH', i + 1)),
    );
  });

  test('spreads people across host countries in the profile shares', () => {
    for (const [country, share] of Object.entries(PH.hostShares)) {
      const actual = people.filter((p) => p.location?.country === country).length / people.length;
      assert.ok(Math.abs(actual - share) < 0.03, `${country}: ${actual.toFixed(3)} vs ${share}`);
    }
  });

  test('skews female where domestic work dominates and male where construction does', () => {
    const femaleShare = (country: string) => {
      const adults = people.filter((p) => p.location?.country === country && ageOf(p) >= 18);
      return adults.filter((p) => p.sex === 'female').length / adults.length;
    };
    assert.ok(femaleShare('HK') > 0.85, `HK ${femaleShare('HK')}`);
    assert.ok(femaleShare('LB') > 0.75, `LB ${femaleShare('LB')}`);
    assert.ok(femaleShare('QA') < 0.4, `QA ${femaleShare('QA')}`);
    assert.ok(femaleShare('SA') < 0.5, `SA ${femaleShare('SA')}`);
  });

  test('every person is a valid registry entry, with E.164 phones and reserved e-mail domains', () => {
    for (const { employerKey: _, ...p } of people) {
      const checked = validatePerson(p, NOW);
      assert.ok(checked.ok, `${p.externalRef}: ${checked.ok ? '' : JSON.stringify(checked.errors)}`);
      assert.equal(p.nationality, 'PH');
      for (const phone of p.phones ?? []) {
        const parsed = parsePhoneNumberFromString(phone.value);
        assert.ok(parsed?.isValid(), phone.value);
        assert.equal(parsed?.number, phone.value, 'already E.164');
        assert.ok(
          [p.location?.country, 'PH'].includes(parsed?.country),
          `${phone.value} is a host or home number`,
        );
      }
      for (const email of p.emails ?? []) assert.match(email.value, /^[a-z0-9.]+@example\.(org|com|net)$/);
    }
    const phones = people.flatMap((p) => (p.phones ?? []).map((x) => x.value));
    assert.equal(new Set(phones).size, phones.length, 'no two people share a number');
    assert.ok(people.filter((p) => p.phones?.length).length / people.length > 0.8);
  });

  test('places everyone on land in their host country', () => {
    for (const country of Object.keys(PH.hostShares)) {
      const boundary = countryBoundary(country, '10m')!;
      for (const p of people.filter((x) => x.location?.country === country)) {
        assert.ok(
          containsPoint(boundary.geometry, p.location!.lon!, p.location!.lat!),
          `${p.externalRef} at ${p.location!.lat},${p.location!.lon}`,
        );
      }
    }
    const distinct = new Set(people.map((p) => `${p.location!.lat},${p.location!.lon}`));
    assert.ok(distinct.size > people.length * 0.3, 'people are scattered, not stacked on city centres');
  });

  test('vulnerabilities follow age, sex and the passport rule', () => {
    for (const p of people) {
      const v = p.vulnerabilities ?? [];
      assert.equal(v.includes('child'), ageOf(p) < 18, p.externalRef);
      assert.equal(v.includes('elderly'), ageOf(p) >= 60, p.externalRef);
      if (v.includes('pregnant')) assert.equal(p.sex, 'female');
      if (v.includes('unaccompanied_child')) assert.ok(v.includes('child'));
      assert.equal(
        v.includes('passport_held_by_employer'),
        p.documentStatus === 'held_by_employer',
        p.externalRef,
      );
    }
    const rate = (code: string, among = people) =>
      among.filter((p) => p.vulnerabilities?.includes(code as never)).length / among.length;
    const gulf = people.filter((p) => ['SA', 'KW', 'LB'].includes(p.location!.country!));
    const elsewhere = people.filter((p) => ['IT', 'IL', 'SG'].includes(p.location!.country!));
    assert.ok(
      rate('passport_held_by_employer', gulf) > 0.1,
      'passports are often held under sponsorship systems',
    );
    assert.ok(rate('passport_held_by_employer', elsewhere) < 0.05);
    const adults = people.filter((p) => ageOf(p) >= 18);
    assert.ok(ageOf(adults.reduce((a, b) => (ageOf(a) > ageOf(b) ? a : b))) <= 80);
    assert.ok(
      adults.filter((p) => ageOf(p) <= 60).length / adults.length > 0.95,
      'adults are mostly 18 to 60',
    );
  });

  test('households and groups have one head, 1 to 6 members, and one place', () => {
    const households = population.filter((u) => u.household);
    assert.ok(households.some((u) => u.household!.kind === 'group'));
    assert.ok(households.some((u) => u.household!.kind === 'household'));
    for (const u of population) {
      assert.ok(u.members.length >= 1 && u.members.length <= 6);
      if (!u.household) {
        assert.equal(u.members.length, 1);
        assert.equal(u.members[0]!.householdRole, null);
        continue;
      }
      assert.deepEqual(
        u.members.map((m) => m.householdRole),
        u.members.map((_, i) => (i === 0 ? 'head' : 'member')),
      );
      assert.equal(new Set(u.members.map((m) => `${m.location!.lat},${m.location!.lon}`)).size, 1);
      if (u.household.kind === 'group')
        assert.equal(new Set(u.members.map((m) => m.employerKey)).size, 1, 'co-workers share an employer');
    }
    const italy = people.filter((p) => p.location!.country === 'IT');
    assert.ok(
      italy.filter((p) => ageOf(p) < 18).length / italy.length > 0.1,
      'families with children in Italy',
    );
  });

  test('names include Filipino diacritics; Ethiopian ones include Ethiopic script and patronymics', () => {
    assert.ok(people.some((p) => /[ñÑ]/.test(`${p.givenNames} ${p.familyName}`)));
    assert.ok(people.some((p) => /[áéíóú]/.test(`${p.givenNames} ${p.familyName}`)));
    const ethiopians = generate(1500, 1, ET);
    const et = personsOf(ethiopians);
    assert.ok(et.some((p) => /\p{Script=Ethiopic}/u.test(p.givenNames)));
    assert.ok(et.some((p) => /^[A-Za-z ]+$/.test(p.givenNames)));
    assert.ok(
      et.every(
        (p) =>
          p.nationality === 'ET' && p.languages?.[0] && ['am', 'om', 'ti', 'so'].includes(p.languages[0]),
      ),
    );
    for (const u of ethiopians.filter((x) => x.household?.kind === 'household')) {
      const father = u.members.find((m) => m.sex === 'male' && ageOf(m) >= 18 && ageOf(m) < 60);
      for (const child of u.members.filter((m) => ageOf(m) < 18)) {
        if (father)
          assert.equal(
            child.familyName,
            father.givenNames.split(' ')[0],
            'a child carries the father’s given name',
          );
      }
    }
  });
});

describe('demo directory', () => {
  const directory = demoDirectory(PH, 1);

  test('has a post with jurisdiction in every host country, and valid switchboard numbers', () => {
    const covered = new Set(directory.posts.flatMap((p) => p.jurisdiction));
    for (const host of Object.keys(PH.hostShares)) assert.ok(covered.has(host), host);
    const names = directory.posts.map((p) => p.name);
    for (const city of [
      'Riyadh',
      'Jeddah',
      'Abu Dhabi',
      'Dubai',
      'Kuwait City',
      'Doha',
      'Beirut',
      'Tel Aviv',
      'Hong Kong',
      'Rome',
      'Milan',
      'Singapore',
      'Taipei',
    ]) {
      assert.ok(
        names.some((n) => n.includes(`in ${city} (demo)`)),
        city,
      );
    }
    assert.equal(directory.posts.find((p) => p.city === 'Jeddah')?.kind, 'consulate');
    assert.equal(directory.posts.find((p) => p.city === 'Taipei')?.kind, 'mission');
    for (const p of directory.posts) {
      assert.ok(p.phone && parsePhoneNumberFromString(p.phone)?.isValid(), `${p.name} ${p.phone}`);
      assert.ok(containsPoint(countryBoundary(p.country)!.geometry, p.lon, p.lat), p.name);
    }
  });

  test('names the ministry, partners of every kind and employers in every host', () => {
    assert.equal(directory.ministry.name, 'Department of Foreign Affairs (demo)');
    const types = new Set(directory.partners.map((p) => p.type));
    for (const t of ['international_org', 'ngo', 'host_state', 'transport'])
      assert.ok(types.has(t as never), t);
    assert.ok(directory.partners.some((p) => p.name === 'International Organization for Migration (demo)'));
    for (const host of Object.keys(PH.hostShares))
      assert.ok(
        directory.employers.some((e) => e.country === host),
        host,
      );
    const keys = directory.employers.map((e) => `${e.country} ${e.name}`);
    assert.equal(new Set(keys).size, keys.length, 'employer names are unique within a country');
    assert.ok([...directory.employers, ...directory.partners].every((o) => o.name.endsWith('(demo)')));
    assert.deepEqual(demoDirectory(PH, 1), directory);
  });

  test('host profiles cover every host country of every origin', () => {
    for (const p of [PH, ET]) for (const c of Object.keys(p.hostShares)) assert.ok(HOST_PROFILES[c]);
  });
});
