import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { PHILIPPINE_CRISIS_ALERT_SCHEME } from '../../domain/levels/presets.ts';
import { escapeHtml, renderPublicLevelsPage } from './public-levels.page.ts';

let t: TestApp;
const ARABIC = 'قيّدوا تنقلاتكم وابقوا على اتصال بالسفارة';
const HOSTILE_ADVISORY = 'Avoid <script>alert("x")</script> & stay "inside"';
const HOSTILE_AREA = '<img src=x onerror=alert(1)>';
const SECRET_REASON = 'Internal cable 4471 from the defence attaché';
let areaId: string;

before(async () => {
  t = await buildTestApp();
  const scheme = {
    ...PHILIPPINE_CRISIS_ALERT_SCHEME,
    levels: PHILIPPINE_CRISIS_ALERT_SCHEME.levels.map((l) =>
      l.number === 2
        ? {
            ...l,
            actions: { ...l.actions, advisory: { ...l.actions.advisory, en: HOSTILE_ADVISORY, ar: ARABIC } },
          }
        : l,
    ),
  };
  const put = await t.app.inject({ method: 'PUT', url: '/api/alert-schemes/current', payload: scheme });
  assert.equal(put.statusCode, 200, put.body);

  const declare = async (payload: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/alert-levels',
      headers: t.as('crisis_manager'),
      payload,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  };
  await declare({ country: 'AE', level: 2, reason: SECRET_REASON });
  const area = await declare({
    country: 'AE',
    level: 3,
    reason: SECRET_REASON,
    area: {
      name: HOSTILE_AREA,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [55, 25],
            [55.6, 25],
            [55.6, 25.4],
            [55, 25],
          ],
        ],
      },
    },
  });
  areaId = area.declaration.areaId;
  await declare({
    country: 'KW',
    level: 4,
    reason: 'Scheduled',
    effectiveAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
});
after(async () => {
  await t?.close();
});

describe('public alert levels', () => {
  test('the JSON is open to anyone and publishes no reason, user id or scheduled level', async () => {
    const res = await t.anonymous({ url: '/public/levels.json' });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.equal(res.headers['access-control-allow-origin'], '*', 'published for anyone to reuse');
    const body = res.json();
    assert.deepEqual(
      body.countries.map((c: { country: string }) => c.country),
      ['AE'],
      'a scheduled level is not published',
    );
    const ae = body.countries[0];
    assert.equal(ae.level, 2);
    assert.equal(ae.colour, '#FF8C00');
    assert.equal(ae.advisory.ar, ARABIC);
    assert.equal(ae.name.fil, 'Paghihigpit');
    assert.ok(!Number.isNaN(Date.parse(ae.effectiveAt)));
    assert.equal(body.areas.length, 1);
    assert.equal(body.areas[0].areaName, HOSTILE_AREA);
    assert.equal(body.areas[0].level, 3);

    const text = res.body;
    assert.ok(!text.includes(SECRET_REASON), 'reasons stay internal');
    assert.ok(!text.includes('reason'));
    assert.ok(!text.includes('declaredBy'));
    for (const user of Object.values(t.fixtures.users)) assert.ok(!text.includes(user.id), 'no user ids');
    assert.ok(!text.includes('checklist'), 'post checklists stay internal');
    assert.ok(!text.includes(areaId), 'internal ids are not needed to read the levels');
  });

  test('the page needs no script, escapes every text and marks each advisory with its language and direction', async () => {
    const res = await t.anonymous({ url: '/public/levels' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    const html = res.body;
    assert.ok(html.startsWith('<!doctype html>'));
    assert.ok(!/<script/i.test(html), 'no script element, not even an injected one');
    assert.ok(!html.includes('<img'), 'the area name is escaped');
    assert.ok(html.includes(escapeHtml(HOSTILE_AREA)));
    assert.ok(
      html.includes('Avoid &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; stay &quot;inside&quot;'),
    );
    assert.ok(
      html.includes(`<p class="advisory" lang="ar" dir="rtl">${ARABIC}</p>`),
      'Arabic renders right to left',
    );
    assert.ok(/<p class="advisory" lang="fil" dir="ltr">/.test(html));
    assert.ok(html.includes('background:#FF8C00'), 'the level colour is shown');
    assert.ok(html.includes('United Arab Emirates'));
    assert.ok(!html.includes(SECRET_REASON));
    assert.ok(!html.includes('Kuwait'), 'a scheduled level is not shown');
  });

  test('the page says when no level is in force, and picks a readable badge text colour', () => {
    const empty = renderPublicLevelsPage({
      asOf: '2026-01-01T00:00:00.000Z',
      scheme: { id: 's', name: 'S & T' },
      countries: [],
      areas: [],
    });
    assert.equal(empty.match(/No alert level is in force/g)?.length, 2);
    assert.ok(empty.includes('S &amp; T'));
    const level = {
      country: 'LB',
      countryName: 'Lebanon',
      level: 4,
      name: { en: 'Mandatory repatriation' },
      colour: '#000000',
      description: { en: 'd' },
      advisory: { en: 'Leave now', ur: 'ابھی نکلیں' },
      flags: {
        registrationDrive: true,
        restrictedMovement: true,
        voluntaryRepatriation: true,
        mandatoryRepatriation: true,
        recommendedDeploymentBan: true,
      },
      effectiveAt: '2026-01-01T00:00:00.000Z',
    };
    const html = renderPublicLevelsPage({
      asOf: level.effectiveAt,
      scheme: { id: 's', name: 'S' },
      countries: [level, { ...level, country: 'QA', colour: '#FFD400' }],
      areas: [],
    });
    assert.ok(html.includes('background:#000000;color:#ffffff'));
    assert.ok(html.includes('background:#FFD400;color:#000000'));
    assert.ok(html.includes('lang="ur" dir="rtl"'), 'Urdu, in Arabic script, is right to left too');
  });
});
