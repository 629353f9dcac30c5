import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { PHILIPPINE_CRISIS_ALERT_SCHEME, TRAVEL_ADVISORY_SCHEME } from '../../domain/levels/presets.ts';
import type { Scheme } from '../../domain/levels/scheme.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t?.close();
});

const editable = (): { -readonly [K in keyof Scheme]: Scheme[K] } =>
  structuredClone(PHILIPPINE_CRISIS_ALERT_SCHEME) as Scheme;
const putScheme = (scheme: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: '/api/alert-schemes/current', headers, payload: scheme as object });
const choosePreset = (preset: string) =>
  t.app.inject({ method: 'POST', url: '/api/alert-schemes/current/preset', payload: { preset } });
const declare = (payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/alert-levels', headers: t.as('crisis_manager'), payload });

describe('alert schemes', () => {
  test('the Philippine preset is in use until an administrator chooses another', async () => {
    const res = await t.app.inject({ url: '/api/alert-schemes/current', headers: t.as('analyst') });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.version, 1);
    assert.equal(body.source, 'default');
    assert.deepEqual(body.scheme, JSON.parse(JSON.stringify(PHILIPPINE_CRISIS_ALERT_SCHEME)));
    const again = await t.app.inject({ url: '/api/alert-schemes/current' });
    assert.equal(again.json().version, 1, 'reading twice stores the default once');
  });

  test('an edited scheme with issues is refused with every issue listed', async () => {
    const scheme = editable();
    const levels = scheme.levels.map((l) => ({ ...l }));
    levels[1] = { ...levels[1]!, colour: 'orange' };
    levels[2] = { ...levels[2]!, number: 2 };
    scheme.levels = levels;
    scheme.name = ' ';
    const res = await putScheme(scheme);
    assert.equal(res.statusCode, 422, res.body);
    const problem = res.json();
    assert.equal(problem.code, 'levels.scheme_invalid');
    const codes = problem.issues.map((i: { code: string }) => i.code).sort();
    assert.deepEqual(codes, ['levels.bad_colour', 'levels.duplicate_number', 'levels.missing_scheme_name']);
    assert.ok(problem.issues.some((i: { path: string }) => i.path === 'levels[1].colour'));
    assert.equal(
      (await t.app.inject({ url: '/api/alert-schemes/current' })).json().version,
      1,
      'nothing was stored',
    );
  });

  test('an edit is stored as a new version and the previous one is kept', async () => {
    const scheme = editable();
    scheme.levels = scheme.levels.map((l) =>
      l.number === 1
        ? { ...l, actions: { ...l.actions, advisory: { ...l.actions.advisory, ar: 'ابقوا على اطلاع' } } }
        : l,
    );
    const res = await putScheme(scheme);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().version, 2);
    assert.equal(res.json().source, 'edit');
    assert.equal(res.json().createdBy, t.fixtures.users.hq_admin.id);
    const current = (await t.app.inject({ url: '/api/alert-schemes/current' })).json();
    assert.equal(current.scheme.levels[0].actions.advisory.ar, 'ابقوا على اطلاع');
    const rows = await t.database.db
      .selectFrom('level_schemes')
      .select(['version', 'active'])
      .orderBy('version')
      .execute();
    assert.deepEqual(rows, [
      { version: 1, active: 0 },
      { version: 2, active: 1 },
    ]);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'schemes.manage')
      .execute();
    assert.ok(audit.some((a) => JSON.parse(a.details).version === 2));
  });

  test('presets replace the scheme; an unknown preset is refused', async () => {
    const travel = await choosePreset('travel-advisory');
    assert.equal(travel.statusCode, 200, travel.body);
    assert.equal(travel.json().source, 'preset');
    assert.equal(travel.json().scheme.id, TRAVEL_ADVISORY_SCHEME.id);
    const current = (await t.app.inject({ url: '/api/alert-schemes/current' })).json();
    assert.equal(current.scheme.levels[3].name.en, TRAVEL_ADVISORY_SCHEME.levels[3]!.name.en);
    const ph = await choosePreset('ph-crisis');
    assert.equal(ph.json().scheme.id, PHILIPPINE_CRISIS_ALERT_SCHEME.id);
    assert.equal(ph.json().version, travel.json().version + 1);
    const bad = await choosePreset('nordic');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'request.invalid');
  });

  test('only an administrator changes the scheme', async () => {
    const res = await putScheme(editable(), t.as('crisis_manager'));
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'access.forbidden');
  });

  test('a level in force or scheduled cannot be removed from the scheme', async () => {
    const threeLevels = editable();
    threeLevels.levels = threeLevels.levels.filter((l) => l.number <= 3);

    assert.equal((await declare({ country: 'LB', level: 4, reason: 'Evacuation' })).statusCode, 201);
    let res = await putScheme(threeLevels);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'levels.scheme_level_in_use');
    assert.deepEqual(res.json().levels, [4]);

    assert.equal((await declare({ country: 'LB', level: 3, reason: 'Lowered' })).statusCode, 201);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    assert.equal(
      (await declare({ country: 'SY', level: 4, reason: 'Scheduled', effectiveAt: tomorrow })).statusCode,
      201,
    );
    res = await putScheme(threeLevels);
    assert.equal(res.statusCode, 409, 'a scheduled level counts too');

    assert.equal(
      (await declare({ country: 'SY', level: 0, reason: 'Cancelled', effectiveAt: tomorrow })).statusCode,
      201,
    );
    res = await putScheme(threeLevels);
    assert.equal(res.statusCode, 200, 'once cancelled, the scheduled level 4 never comes into force');
    assert.equal(res.json().scheme.levels.length, 3);
    const outside = await declare({ country: 'LB', level: 4, reason: 'Again' });
    assert.equal(outside.statusCode, 422);
    assert.equal(outside.json().code, 'levels.level_outside_scheme');
  });
});
