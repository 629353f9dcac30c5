import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { assertValidCap, CAP_FIXTURES, needsXmllint, registerPeople } from '../alerts/alerts.test-kit.ts';

let t: TestApp;
const fixture = (name: string) => readFileSync(join(CAP_FIXTURES, name), 'utf8');
const cap11 = readFileSync(
  fileURLToPath(new URL('../../../test/fixtures/cap/cap11-earthquake.cap', import.meta.url)),
  'utf8',
);

before(async () => {
  t = await buildTestApp();
  await registerPeople(t, [
    // Inside the Yerong Creek circle (australia.cap: -35.3888,147.0598, 25 km).
    { lat: -35.39, lon: 147.06, country: 'AU', languages: ['en'] },
    { lat: -35.3, lon: 147.1, country: 'AU', languages: ['fil'] },
    // 60 km away: outside.
    { lat: -35.9, lon: 147.2, country: 'AU', languages: ['en'] },
    // Inside the Windsor - Essex County polygon (canada.cap).
    { lat: 42.2, lon: -82.8, country: 'CA', languages: ['fr'] },
  ]);
});
after(async () => {
  await t?.close();
});

const importCap = (xml: string, contentType = 'application/cap+xml', headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/cap/import',
    headers: { 'content-type': contentType, ...headers },
    payload: xml,
  });

describe('CAP import', () => {
  test('australia.cap imports: its circle becomes the proposed target, with a live count', async () => {
    const res = await importCap(fixture('australia.cap'));
    assert.equal(res.statusCode, 201, res.body);
    const incident = res.json();
    assert.equal(incident.capVersion, '1.2');
    assert.equal(incident.source.sender, 'webmaster@rfs.nsw.gov.au');
    assert.equal(incident.source.sent, '2011-10-05T23:04:00+10:00');
    assert.equal(incident.event, 'Fire');
    assert.equal(incident.headlines[0].headline, 'Yerong Creek Structure Fire');
    assert.equal(incident.areas.length, 1, 'the area repeated in the second info block is kept once');
    assert.deepEqual(
      incident.areas[0].geocodes.map((g: { value: string }) => g.value),
      ['AU-NSW', '2642'],
      'with the geocodes of both copies',
    );
    assert.deepEqual(incident.proposedTarget, {
      polygons: [],
      circles: [{ center: [147.0598, -35.3888], radiusMeters: 25_000 }],
    });
    assert.deepEqual(incident.preview, { total: 2, byCountry: { AU: 2 }, withoutCountry: 0 });

    const again = await importCap(fixture('australia.cap'), 'text/plain');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'cap.duplicate');
    assert.equal(again.json().incidentId, incident.id);

    const original = await t.app.inject(`/api/cap/incidents/${incident.id}/original.xml`);
    assert.equal(original.body, fixture('australia.cap'), 'the original document is kept as received');
  });

  test('canada.cap imports: an Update with references, texts in English and French', async () => {
    const res = await importCap(fixture('canada.cap'), 'application/xml');
    assert.equal(res.statusCode, 201, res.body);
    const incident = res.json();
    assert.equal(incident.msgType, 'Update');
    assert.deepEqual(
      incident.references.map((r: { identifier: string }) => r.identifier),
      ['2.49.0.1.124.a3f342a4.2012', '2.49.0.1.124.60f31a3a.2012'],
    );
    assert.deepEqual(
      incident.headlines.map((h: { language: string }) => h.language),
      ['en-CA', 'fr-CA'],
    );
    assert.equal(incident.source.sent, '2012-05-02T23:21:04-00:00');
    assert.ok(incident.areas.length >= 1);
    const usable = incident.areas.filter((a: { error: unknown }) => a.error === null);
    assert.ok(usable.length >= 1, JSON.stringify(incident.areas.map((a: { error: unknown }) => a.error)));
    assert.ok(incident.preview.byCountry.CA >= 1, 'the person in Windsor is inside');
  });

  test('a CAP 1.1 message imports; "Very Likely" is read as Likely', async () => {
    const res = await importCap(cap11);
    assert.equal(res.statusCode, 201, res.body);
    const incident = res.json();
    assert.equal(incident.capVersion, '1.1');
    assert.equal(incident.certainty, 'Likely');
    assert.equal(incident.infos[0].headline, 'Strong earthquake: aftershocks & landslides likely');
    assert.deepEqual(
      incident.areas.map((a: { areaDesc: string; shapes: { type: string }[] }) => [
        a.areaDesc,
        a.shapes.map((s) => s.type),
      ]),
      [
        ['Coastal districts', ['Polygon']],
        ['Epicentre', ['Circle']],
      ],
    );
  });

  test('xee.cap is refused as a DTD, before anything is read or fetched', async () => {
    const res = await importCap(fixture('xee.cap'));
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'cap.dtd_forbidden');
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const list = (await t.app.inject('/api/cap/incidents')).json();
    assert.ok(
      !list.items.some((i: { source: { identifier: string } }) => i.source.identifier === 'KSTO1055887203'),
    );
  });

  test('invalid.cap gets a clear coded error naming the missing field', async () => {
    const res = await importCap(fixture('invalid.cap'));
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'cap.missing_field');
    assert.equal(res.json().errors[0].field, 'scope');
  });

  test('wrong namespaces, bad dates, malformed XML and oversized documents are coded errors', async () => {
    const base = fixture('australia.cap');
    const wrongNs = base.replaceAll(
      'urn:oasis:names:tc:emergency:cap:1.2',
      'urn:oasis:names:tc:emergency:cap:9.9',
    );
    assert.equal((await importCap(wrongNs)).json().code, 'cap.bad_namespace');
    const noNs = cap11.replace(
      ' xmlns:cap="urn:oasis:names:tc:emergency:cap:1.1"',
      ' xmlns:cap="http://example.org/other"',
    );
    assert.equal((await importCap(noNs)).json().code, 'cap.bad_namespace');
    const badDate = base.replace(
      '<cap:sent>2011-10-05T23:04:00+10:00</cap:sent>',
      '<cap:sent>2011-02-30T23:04:00+10:00</cap:sent>',
    );
    const bad = await importCap(badDate);
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'cap.bad_date');
    assert.equal(bad.json().errors[0].field, 'sent');
    const noOffset = base.replace(
      '<cap:sent>2011-10-05T23:04:00+10:00</cap:sent>',
      '<cap:sent>2011-10-05T23:04:00</cap:sent>',
    );
    assert.equal((await importCap(noOffset)).json().code, 'cap.bad_date');
    assert.equal(
      (await importCap('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>')).json().code,
      'cap.malformed',
    );
    const huge = await importCap(`${base}<!--${'x'.repeat(1024 * 1024)}-->`);
    assert.equal(huge.statusCode, 413);
    const json = await t.app.inject({ method: 'POST', url: '/api/cap/import', payload: { xml: base } });
    assert.equal(json.statusCode, 415);
  });

  test('an area that fails the geometry checks is reported, not fatal', async () => {
    const bowtie = cap11
      .replace('HCSA-EQ-2026-0042', 'HCSA-EQ-2026-0043')
      .replace(
        /<cap:polygon>[\s\S]*?<\/cap:polygon>/,
        '<cap:polygon>36.9,27.1 36.6,27.75 36.95,27.6 36.45,27.3 36.9,27.1</cap:polygon>',
      );
    const res = await importCap(bowtie);
    assert.equal(res.statusCode, 201, res.body);
    const [coast, epicentre] = res.json().areas;
    assert.equal(coast.error.code, 'geo.self_intersection');
    assert.equal(coast.shapes, null);
    assert.equal(epicentre.error, null);
    assert.equal(res.json().rejectedAreas, 1);
    assert.deepEqual(res.json().proposedTarget.polygons, []);
    assert.equal(res.json().proposedTarget.circles.length, 1);
  });
});

describe('alerts drafted from incidents', () => {
  test(
    'an officer turns an incident into a draft alert with its texts and areas; it exports as valid CAP',
    needsXmllint,
    async () => {
      const auTarget = cap11
        .replace('HCSA-EQ-2026-0042', 'HCSA-EQ-2026-0044')
        .replace(
          /<cap:area>[\s\S]*<\/cap:area>/,
          '<cap:area><cap:areaDesc>Yerong</cap:areaDesc><cap:circle>-35.3888,147.0598 25</cap:circle></cap:area>',
        )
        .replace(
          '<cap:expires>2026-03-15T06:00:00+03:00</cap:expires>',
          '<cap:expires>2099-03-15T06:00:00+03:00</cap:expires>',
        );
      const incident = (await importCap(auTarget)).json();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/cap/incidents/${incident.id}/draft-alert`,
        headers: t.as('crisis_manager'),
        payload: {},
      });
      assert.equal(res.statusCode, 201, res.body);
      const alert = res.json();
      assert.equal(alert.state, 'draft');
      assert.equal(alert.incidentId, incident.id);
      assert.equal(alert.event, 'Earthquake');
      assert.equal(alert.status, 'Actual');
      assert.equal(alert.expires, '2099-03-15T06:00:00+03:00');
      assert.deepEqual(alert.target.circles, [{ center: [147.0598, -35.3888], radiusMeters: 25_000 }]);
      assert.deepEqual(alert.countries, ['AU']);
      assert.equal(alert.infos[0].headline, 'Strong earthquake: aftershocks & landslides likely');
      assert.ok(alert.infos[0].sms.segments <= alert.maxSmsSegments);
      const view = (await t.app.inject(`/api/cap/incidents/${incident.id}`)).json();
      assert.equal(view.draftAlertId, alert.id);

      const cap = await t.app.inject(`/api/alerts/${alert.id}/cap.xml`);
      assertValidCap(cap.body);

      const withTexts = await t.app.inject({
        method: 'POST',
        url: `/api/cap/incidents/${incident.id}/draft-alert`,
        headers: t.as('crisis_manager'),
        payload: {
          status: 'Exercise',
          infos: [{ language: 'fil', headline: 'Lindol', smsText: 'Babala: malakas na lindol.' }],
        },
      });
      assert.equal(withTexts.statusCode, 201, withTexts.body);
      assert.equal(withTexts.json().drill, true);
      assert.deepEqual(
        withTexts.json().infos.map((i: { language: string }) => i.language),
        ['fil'],
      );
    },
  );

  test('an incident with no usable area needs a target: target.empty', async () => {
    const noShape = cap11
      .replace('HCSA-EQ-2026-0042', 'HCSA-EQ-2026-0045')
      .replace(
        /<cap:area>[\s\S]*<\/cap:area>/,
        '<cap:area><cap:areaDesc>Province 7</cap:areaDesc><cap:geocode><cap:valueName>ISO 3166-2</cap:valueName><cap:value>XX-07</cap:value></cap:geocode></cap:area>',
      );
    const incident = (await importCap(noShape)).json();
    assert.equal(incident.areas[0].error.code, 'cap.area_no_shape');
    assert.equal(incident.proposedTarget, null);
    assert.equal(incident.preview, null);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cap/incidents/${incident.id}/draft-alert`,
      payload: {},
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'target.empty');
    const withTarget = await t.app.inject({
      method: 'POST',
      url: `/api/cap/incidents/${incident.id}/draft-alert`,
      payload: { target: { countries: ['AU'] } },
    });
    assert.equal(withTarget.statusCode, 201, withTarget.body);
  });

  test('only roles that import CAP may; incidents are listed newest first', async () => {
    for (const role of ['partner_caseworker', 'host_authority', 'analyst'] as const) {
      const res = await importCap(fixture('australia.cap'), 'application/cap+xml', t.as(role));
      assert.equal(res.statusCode, 403, role);
    }
    const officer = await importCap(
      cap11.replace('HCSA-EQ-2026-0042', 'HCSA-EQ-2026-0046'),
      'application/cap+xml',
      t.as('consular_officer'),
    );
    assert.equal(officer.statusCode, 201, officer.body);
    assert.equal(officer.json().importedBy, t.fixtures.users.consular_officer.id);
    const list = (await t.app.inject('/api/cap/incidents?limit=2')).json();
    assert.equal(list.items[0].id, officer.json().id);
    assert.equal(list.items.length, 2);
    assert.ok(list.nextCursor);
    const next = (await t.app.inject(`/api/cap/incidents?limit=200&cursor=${list.nextCursor}`)).json();
    assert.ok(next.items.every((i: { id: string }) => i.id < list.nextCursor));
  });
});
