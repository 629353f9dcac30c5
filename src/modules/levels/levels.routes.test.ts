import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t?.close();
});

const asManager = () => t.as('crisis_manager');
const declare = (payload: object, headers: Record<string, string> = asManager()) =>
  t.app.inject({ method: 'POST', url: '/api/alert-levels', headers, payload });
const get = (url: string, headers: Record<string, string> = asManager()) => t.app.inject({ url, headers });

// A box around Dubai, inside the United Arab Emirates; Abu Dhabi lies outside it.
const dubaiBox = {
  type: 'Polygon',
  coordinates: [
    [
      [55.0, 25.0],
      [55.6, 25.0],
      [55.6, 25.4],
      [55.0, 25.4],
      [55.0, 25.0],
    ],
  ],
};
const inDubai = { lat: 25.2, lon: 55.27 };
const inAbuDhabi = { lat: 24.45, lon: 54.38 };

const levelAt = async (p: { lat: number; lon: number }, country?: string) => {
  const qs = new URLSearchParams({ lat: String(p.lat), lon: String(p.lon), ...(country ? { country } : {}) });
  const res = await get(`/api/alert-levels/at?${qs}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

describe('alert level declarations', () => {
  test('declares, raises, lowers and lifts a country level, keeping every step in the history', async () => {
    const steps = [
      { level: 1, reason: 'Protests announced in the capital' },
      { level: 3, reason: 'Armed clashes near the airport' },
      { level: 2, reason: 'Ceasefire holding' },
    ];
    const ids: string[] = [];
    for (const step of steps) {
      const res = await declare({ country: 'QAT', ...step });
      assert.equal(res.statusCode, 201, res.body);
      const { declaration } = res.json();
      assert.equal(declaration.country, 'QA', 'alpha-3 input is stored as alpha-2');
      assert.equal(declaration.scope, 'country');
      assert.equal(declaration.level, step.level);
      assert.equal(declaration.declaredBy, t.fixtures.users.crisis_manager.id);
      ids.push(declaration.id);
    }

    let current = (await get('/api/alert-levels/current')).json();
    const qa = current.countries.find((c: { country: string }) => c.country === 'QA');
    assert.equal(qa.level, 2, 'the latest declaration sets the level, even when it lowers it');
    assert.equal(qa.name.en, 'Restriction');
    assert.equal(qa.colour, '#FF8C00');
    assert.equal(qa.flags.restrictedMovement, true);
    assert.equal(qa.flags.mandatoryRepatriation, false);
    assert.ok(qa.advisory.en && qa.advisory.fil, 'the advisory comes in every language of the scheme');
    assert.equal(qa.reason, 'Ceasefire holding');
    assert.equal(qa.countryName, 'Qatar');

    const lift = await declare({ country: 'QA', level: 0, reason: 'Situation normal' });
    assert.equal(lift.statusCode, 201, lift.body);
    assert.equal(lift.json().declaration.levelName, null);
    assert.equal(lift.json().tasksCreated, 0);
    current = (await get('/api/alert-levels/current')).json();
    assert.equal(
      current.countries.some((c: { country: string }) => c.country === 'QA'),
      false,
      'a lifted country has no level',
    );

    const history = (await get('/api/alert-levels/history?country=QA')).json();
    assert.deepEqual(
      history.items.map((d: { level: number }) => d.level),
      [0, 2, 3, 1],
      'newest first',
    );
    assert.deepEqual(
      history.items.slice(1).map((d: { id: string }) => d.id),
      [...ids].reverse(),
    );
    assert.equal(history.items[2].reason, 'Armed clashes near the airport');
  });

  test('each declaration is written to the audit log', async () => {
    const res = await declare({ country: 'KW', level: 1, reason: 'Audit check' });
    const { id } = res.json().declaration;
    const rows = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'levels.declare')
      .execute();
    const entry = rows.find((r) => JSON.parse(r.details).declarationId === id);
    assert.ok(entry, 'an audit entry names the declaration');
    assert.equal(entry.actor_user_id, t.fixtures.users.crisis_manager.id);
    assert.equal(JSON.parse(entry.details).level, 1);
  });

  test("an area's level wins inside it where it is higher, and only there", async () => {
    assert.equal((await declare({ country: 'AE', level: 1, reason: 'Regional tension' })).statusCode, 201);
    const areaRes = await declare({
      country: 'AE',
      level: 3,
      reason: 'Strikes on the port',
      area: { name: 'Dubai', geometry: dubaiBox },
    });
    assert.equal(areaRes.statusCode, 201, areaRes.body);
    const { declaration } = areaRes.json();
    assert.equal(declaration.scope, 'area');
    assert.equal(declaration.areaName, 'Dubai');

    const inside = await levelAt(inDubai, 'AE');
    assert.equal(inside.level, 3);
    assert.equal(inside.source.scope, 'area');
    assert.equal(inside.source.areaId, declaration.areaId);
    assert.equal(inside.name.en, 'Voluntary repatriation');

    const outside = await levelAt(inAbuDhabi, 'AE');
    assert.equal(outside.level, 1);
    assert.equal(outside.source.scope, 'country');

    const noCountry = await levelAt(inAbuDhabi);
    assert.equal(noCountry.level, 0, 'without a country only areas count');
    assert.equal(noCountry.source, null);

    // The saved area can be declared again by id; a level below the country's never lowers it.
    const lower = await declare({ areaId: declaration.areaId, level: 1, reason: 'Port reopened' });
    assert.equal(lower.statusCode, 201, lower.body);
    assert.equal((await declare({ country: 'AE', level: 2, reason: 'Tension rising' })).statusCode, 201);
    const after = await levelAt(inDubai, 'AE');
    assert.equal(after.level, 2);
    assert.equal(after.source.scope, 'country');

    const current = (await get('/api/alert-levels/current')).json();
    const dubai = current.areas.find((a: { areaId: string }) => a.areaId === declaration.areaId);
    assert.equal(dubai.level, 1);
    assert.deepEqual(dubai.geometry, dubaiBox);
    assert.equal(dubai.country, 'AE');

    const history = (await get(`/api/alert-levels/history?areaId=${declaration.areaId}`)).json();
    assert.deepEqual(
      history.items.map((d: { level: number }) => d.level),
      [1, 3],
    );
  });

  test('a level declared to take effect later is scheduled, not current', async () => {
    assert.equal((await declare({ country: 'BH', level: 1, reason: 'Precaution' })).statusCode, 201);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const res = await declare({
      country: 'BH',
      level: 4,
      reason: 'Evacuation ordered from tomorrow',
      effectiveAt: later,
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().declaration.effectiveAt, later);

    const current = (await get('/api/alert-levels/current')).json();
    assert.equal(current.countries.find((c: { country: string }) => c.country === 'BH').level, 1);
    const upcoming = current.upcoming.find((d: { id: string }) => d.id === res.json().declaration.id);
    assert.ok(upcoming, 'the future declaration is listed as upcoming');
    assert.equal(upcoming.level, 4);
    assert.equal((await levelAt({ lat: 26.2, lon: 50.58 }, 'BH')).level, 1);
  });

  test('named areas are saved, listed and read; a duplicate name in a country is refused', async () => {
    const box = { type: 'MultiPolygon', coordinates: [dubaiBox.coordinates] };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: asManager(),
      payload: { name: 'Jeddah port', country: 'SA', geometry: box },
    });
    assert.equal(created.statusCode, 201, created.body);
    const area = created.json();
    assert.equal(area.country, 'SA');
    assert.deepEqual(area.geometry, box);
    const list = (await get('/api/areas?country=SA', t.as('analyst'))).json();
    assert.deepEqual(
      list.items.map((a: { id: string }) => a.id),
      [area.id],
    );
    assert.equal((await get(`/api/areas/${area.id}`)).json().name, 'Jeddah port');
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: asManager(),
      payload: { name: 'Jeddah port', country: 'SA', geometry: box },
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'levels.area_name_taken');
    const missing = await get('/api/areas/01900000-0000-7000-8000-000000000000');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'levels.area_not_found');
  });

  test('roles: a crisis manager declares, a consular officer may not, and anyone signed in may read', async () => {
    const officer = await declare(
      { country: 'AE', level: 2, reason: 'Officer try' },
      t.as('consular_officer'),
    );
    assert.equal(officer.statusCode, 403);
    assert.equal(officer.json().code, 'access.forbidden');
    const admin = await declare({ country: 'AE', level: 2, reason: 'Admin try' }, t.as('hq_admin'));
    assert.equal(admin.statusCode, 403);
    assert.equal(admin.json().code, 'access.forbidden');
    const area = await t.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: t.as('consular_officer'),
      payload: { name: 'X', country: 'AE', geometry: dubaiBox },
    });
    assert.equal(area.statusCode, 403);
    assert.equal((await get('/api/alert-levels/current', t.as('host_authority'))).statusCode, 200);
    assert.equal((await get('/api/alert-levels/current', t.as('auditor'))).statusCode, 403);
    assert.equal((await t.anonymous({ url: '/api/alert-levels/current' })).statusCode, 401);
  });
});

describe('bad declarations get coded errors', () => {
  const expectProblem = async (payload: object, status: number, code: string) => {
    const res = await declare(payload);
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().code, code);
    return res.json();
  };
  const ring = (coords: number[][]) => ({ type: 'Polygon', coordinates: [coords] });

  test('a level outside the scheme', async () => {
    const p = await expectProblem(
      { country: 'AE', level: 5, reason: 'x' },
      422,
      'levels.level_outside_scheme',
    );
    assert.match(p.detail, /level 5/);
    await expectProblem({ country: 'AE', level: -1, reason: 'x' }, 422, 'levels.level_outside_scheme');
  });

  test('an unknown country, an unknown area, a mismatched or missing scope', async () => {
    await expectProblem({ country: 'XX', level: 1, reason: 'x' }, 422, 'request.country_unknown');
    await expectProblem(
      { areaId: '01900000-0000-7000-8000-000000000000', level: 1, reason: 'x' },
      422,
      'levels.area_unknown',
    );
    await expectProblem({ level: 1, reason: 'x' }, 422, 'levels.scope_missing');
    await expectProblem(
      { area: { name: 'Somewhere', geometry: dubaiBox }, level: 1, reason: 'x' },
      422,
      'levels.scope_missing',
    );
    const area = await t.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: asManager(),
      payload: { name: 'Dubai creek', country: 'AE', geometry: dubaiBox },
    });
    await expectProblem(
      { areaId: area.json().id, country: 'OM', level: 1, reason: 'x' },
      422,
      'levels.area_country_mismatch',
    );
    await expectProblem(
      {
        areaId: area.json().id,
        area: { name: 'Other', geometry: dubaiBox },
        country: 'AE',
        level: 1,
        reason: 'x',
      },
      422,
      'levels.scope_ambiguous',
    );
    await expectProblem({ country: 'AE', level: 1, reason: '   ' }, 422, 'levels.reason_missing');
    await expectProblem(
      { country: 'AE', level: 1, reason: 'x', effectiveAt: 'tomorrow' },
      400,
      'request.invalid',
    );
  });

  test('a self-intersecting polygon', async () => {
    const bowtie = ring([
      [55, 25],
      [55.5, 25.5],
      [55.5, 25],
      [55, 25.5],
      [55, 25],
    ]);
    const p = await expectProblem(
      { country: 'AE', level: 1, reason: 'x', area: { name: 'Bowtie', geometry: bowtie } },
      422,
      'geo.self_intersection',
    );
    assert.equal(p.errors[0].code, 'geo.self_intersection');
    assert.match(p.errors[0].field, /^body\.area\.geometry/);
    const area = await t.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: asManager(),
      payload: { name: 'Bowtie', country: 'AE', geometry: bowtie },
    });
    assert.equal(area.statusCode, 422);
    assert.equal(area.json().code, 'geo.self_intersection');
  });

  test('an unclosed ring', async () => {
    const open = ring([
      [55, 25],
      [55.5, 25],
      [55.5, 25.5],
      [55, 25.5],
    ]);
    const p = await expectProblem(
      { country: 'AE', level: 1, reason: 'x', area: { name: 'Open', geometry: open } },
      422,
      'geo.ring_not_closed',
    );
    assert.equal(p.errors[0].field, 'body.area.geometry.coordinates[0]');
  });

  test('coordinates out of range', async () => {
    const far = ring([
      [55, 25],
      [55.5, 95],
      [55.5, 25.5],
      [55, 25],
    ]);
    await expectProblem(
      { country: 'AE', level: 1, reason: 'x', area: { name: 'Far', geometry: far } },
      422,
      'geo.coordinate_out_of_range',
    );
    const res = await get('/api/alert-levels/at?lat=91&lon=10');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'request.invalid');
  });

  test('nothing is saved when a declaration is refused', async () => {
    const before = (await get('/api/areas?country=AE')).json().items.length;
    await expectProblem(
      { country: 'AE', level: 9, reason: 'x', area: { name: 'Never saved', geometry: dubaiBox } },
      422,
      'levels.level_outside_scheme',
    );
    assert.equal((await get('/api/areas?country=AE')).json().items.length, before);
  });
});
