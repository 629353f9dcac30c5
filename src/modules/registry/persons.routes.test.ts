import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cellToParent, latLngToCell } from 'h3-js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t?.close();
});

const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object });

describe('persons API', () => {
  test('registers, reads, changes and removes a person, with E.164 phones and an H3 cell', async () => {
    const res = await post('/api/persons', {
      givenNames: 'Maria Cristina',
      familyName: 'Dela Cruz',
      sex: 'F',
      birthDate: '1990-02-28',
      nationality: 'PHL',
      languages: ['fil', 'en-us'],
      phones: [{ value: '+971 50 123 4567', consent: true }],
      emails: [{ value: 'maria@Example.ORG', verified: true }],
      location: { lat: 25.2048, lon: 55.2708, country: 'AE', address: 'Al Barsha' },
      vulnerabilities: ['pregnant'],
      documentStatus: 'held_by_employer',
    });
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json();
    assert.equal(p.sex, 'female');
    assert.equal(p.nationality, 'PH');
    assert.equal(p.birthYear, 1990);
    assert.deepEqual(p.languages, ['fil', 'en-US']);
    assert.deepEqual(p.phones, [{ value: '+971501234567', verified: false, consent: true }]);
    assert.equal(p.emails[0].value, 'maria@example.org');
    assert.equal(p.location.h3Cell, latLngToCell(25.2048, 55.2708, 9));
    assert.equal('immigrationStatus' in p, false);

    const got = await t.app.inject(`/api/persons/${p.id}`);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json(), p);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/persons/${p.id}`,
      payload: { location: { address: 'Deira' }, vulnerabilities: [] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().location.address, 'Deira');
    assert.equal(patched.json().location.lat, 25.2048, 'a partial location keeps the other location fields');
    assert.deepEqual(patched.json().vulnerabilities, []);
    assert.equal(patched.json().phones[0].value, '+971501234567');

    const del = await t.app.inject({ method: 'DELETE', url: `/api/persons/${p.id}` });
    assert.equal(del.statusCode, 204);
    const gone = await t.app.inject(`/api/persons/${p.id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(gone.json().code, 'person.not_found');
  });

  test('rejects bad input with coded field errors and stores nothing', async () => {
    const res = await post('/api/persons', {
      givenNames: 'x'.repeat(201),
      phones: [{ value: '12345' }],
      nationality: 'ZZ',
      location: { lat: 91, lon: 10, country: 'XX' },
      vulnerabilities: ['undocumented'],
      sex: 'yes',
    });
    assert.equal(res.statusCode, 422);
    const codes = res
      .json()
      .errors.map((e: { code: string }) => e.code)
      .sort();
    assert.deepEqual(codes, [
      'person.coordinates_out_of_range',
      'person.country_unknown',
      'person.country_unknown',
      'person.field_too_long',
      'person.phone_invalid',
      'person.sex_invalid',
      'person.vulnerability_unknown',
    ]);
    const list = await t.app.inject('/api/persons');
    assert.equal(list.json().items.length, 0);
  });

  test('unknown fields, an immigration status among them, are refused by the schema', async () => {
    const res = await post('/api/persons', { givenNames: 'Ali', immigrationStatus: 'irregular' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'request.invalid');
  });

  test('stores names in any script, emoji and SQL-looking text faithfully', async () => {
    const names = [
      'محمد عبد الله',
      'አበበ ቢቂላ',
      'Niño Dela Peña',
      "Robert'); DROP TABLE persons;--",
      'Lina 🌸',
    ];
    for (const givenNames of names) {
      const res = await post('/api/persons', { givenNames });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().givenNames, givenNames);
    }
    const search = await post('/api/persons/search', { name: 'nino pena' });
    assert.deepEqual(
      search.json().items.map((p: { givenNames: string }) => p.givenNames),
      ['Niño Dela Peña'],
    );
    const arabic = await post('/api/persons/search', { name: 'عبد' });
    assert.equal(arabic.json().items.length, 1);
    const percent = await post('/api/persons/search', { name: '%' });
    assert.equal(percent.json().items.length, 0, 'LIKE wildcards are matched literally');
  });

  test('searches by phone, country, area and household, and pages with a cursor', async () => {
    const hh = await post('/api/households', { label: 'Santos family' });
    assert.equal(hh.statusCode, 201);
    const householdId = hh.json().id;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await post('/api/persons', {
        givenNames: `Person ${i}`,
        phones: [{ value: `+85291234${String(560 + i)}` }],
        location: { lat: 22.3 + i * 0.001, lon: 114.17, country: 'HK' },
        householdId: i < 3 ? householdId : undefined,
        householdRole: i === 0 ? 'head' : undefined,
      });
      assert.equal(res.statusCode, 201, res.body);
      ids.push(res.json().id);
    }
    const byPhone = await post('/api/persons/search', { phone: '+852 9123 4562' });
    assert.deepEqual(
      byPhone.json().items.map((p: { id: string }) => p.id),
      [ids[2]],
    );

    const byHousehold = await t.app.inject(`/api/persons?householdId=${householdId}`);
    assert.equal(byHousehold.json().items.length, 3);
    const hhView = await t.app.inject(`/api/households/${householdId}`);
    assert.equal(hhView.json().memberCount, 3);

    const cellOf = (i: number) => latLngToCell(22.3 + i * 0.001, 114.17, 9);
    for (const res of [5, 7, 9]) {
      const area = cellToParent(cellOf(6), res);
      const expected = ids.filter((_, i) => cellToParent(cellOf(i), res) === area);
      const byArea = await t.app.inject(`/api/persons?area=${area}`);
      assert.deepEqual(
        byArea.json().items.map((p: { id: string }) => p.id),
        expected,
        `area at resolution ${res}`,
      );
      assert.ok(expected.length > 0);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await t.app.inject(`/api/persons?country=HKG&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ids);

    const bad = await t.app.inject('/api/persons?country=QQ');
    assert.equal(bad.json().code, 'search.country_unknown');
    const badArea = await t.app.inject('/api/persons?area=zzz');
    assert.equal(badArea.json().code, 'search.area_invalid');
    const badCursor = await t.app.inject('/api/persons?cursor=bm9wZQ');
    assert.equal(badCursor.json().code, 'request.bad_cursor');
  });

  test('a duplicate external reference is a conflict', async () => {
    assert.equal((await post('/api/persons', { givenNames: 'A', externalRef: 'REF-1' })).statusCode, 201);
    const dup = await post('/api/persons', { givenNames: 'B', externalRef: 'REF-1' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'person.external_ref_taken');
  });

  test('organizations, posts with jurisdiction, and employer links', async () => {
    const mfa = await post('/api/organizations', {
      name: 'Ministry of Foreign Affairs',
      type: 'origin_state',
      country: 'PH',
    });
    assert.equal(mfa.statusCode, 201);
    const employer = await post('/api/organizations', {
      name: 'Gulf Facilities LLC',
      type: 'employer',
      country: 'AE',
    });
    const embassy = await post('/api/posts', {
      organizationId: mfa.json().id,
      name: 'Embassy in Abu Dhabi',
      kind: 'embassy',
      country: 'AE',
      jurisdiction: ['AE', 'OMN'],
      phone: '+971 2 639 0006',
    });
    assert.equal(embassy.statusCode, 201, embassy.body);
    assert.deepEqual(embassy.json().jurisdiction, ['AE', 'OM']);
    const wrongOrg = await post('/api/posts', {
      organizationId: employer.json().id,
      name: 'x',
      kind: 'embassy',
      country: 'AE',
      jurisdiction: ['AE'],
    });
    assert.equal(wrongOrg.json().code, 'post.organization_not_origin_state');
    const worker = await post('/api/persons', { givenNames: 'Worker', employerId: employer.json().id });
    assert.equal(worker.statusCode, 201);
    const notEmployer = await post('/api/persons', { givenNames: 'Worker', employerId: mfa.json().id });
    assert.equal(notEmployer.json().errors[0].code, 'person.employer_not_employer');
    const posts = await t.app.inject('/api/posts');
    assert.ok(posts.json().items.some((p: { id: string }) => p.id === embassy.json().id));
  });

  test('serves health, the OpenAPI document and coded 404s', async () => {
    const health = await t.app.inject('/api/health');
    assert.equal(health.json().status, 'ok');
    const doc = await t.app.inject('/api/docs/json');
    assert.equal(doc.json().openapi, '3.1.0');
    assert.ok(doc.json().paths['/api/persons/{id}']);
    const missing = await t.app.inject('/api/nothing-here');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'route.not_found');
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      payload: '{"givenNames":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(badJson.statusCode, 400);
    assert.equal(badJson.json().code, 'request.malformed_json');
  });
});
