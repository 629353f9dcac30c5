import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { parseCap } from '../../domain/cap/cap-parse.ts';
import {
  alertBody,
  assertValidCap,
  assertWellFormed,
  extraUser,
  needsXmllint,
  registerPeople,
  squareAround,
} from './alerts.test-kit.ts';

let t: TestApp;
let checker: { id: string; headers: { authorization: string } };
let areaId: string;
const BEIRUT = [35.5, 33.89] as const;

before(async () => {
  t = await buildTestApp();
  checker = await extraUser(t, 'crisis_manager', 'cap.checker');
  await registerPeople(t, [
    { lon: BEIRUT[0], lat: BEIRUT[1], country: 'LB', languages: ['ar'] },
    { lon: BEIRUT[0] + 0.01, lat: BEIRUT[1], country: 'LB', languages: ['am'] },
    { lon: BEIRUT[0] + 0.02, lat: BEIRUT[1] + 0.01, country: 'LB', languages: ['tl'] },
  ]);
  const area = await t.app.inject({
    method: 'POST',
    url: '/api/areas',
    headers: t.as('crisis_manager'),
    payload: {
      name: 'Beirut southern suburbs',
      country: 'LB',
      geometry: {
        type: 'Polygon',
        coordinates: [
          squareAround(BEIRUT[0], BEIRUT[1], 0.1),
          squareAround(BEIRUT[0] + 0.05, BEIRUT[1] + 0.05, 0.01),
        ],
      },
    },
  });
  assert.equal(area.statusCode, 201, area.body);
  areaId = area.json().id;
});
after(async () => {
  await t?.close();
});

const manager = () => t.as('crisis_manager');
const post = (url: string, headers: object, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: headers as Record<string, string>, payload });
const capOf = async (id: string) => {
  const res = await t.app.inject({ url: `/api/alerts/${id}/cap.xml` });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^application\/cap\+xml/);
  return res.body;
};

/** Drafts with the crisis manager, has the checker approve (or self-approve a drill), issues. */
async function issue(body: object, selfApprove = false) {
  const drafted = await post('/api/alerts', manager(), body);
  assert.equal(drafted.statusCode, 201, drafted.body);
  const id = drafted.json().id;
  assert.equal((await post(`/api/alerts/${id}/submit`, manager())).statusCode, 200);
  const approved = await post(`/api/alerts/${id}/approve`, selfApprove ? manager() : checker.headers);
  assert.equal(approved.statusCode, 200, approved.body);
  const issued = await post(`/api/alerts/${id}/issue`, manager());
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json();
}

const fullTarget = () => ({
  countries: ['LB'],
  areaIds: [areaId],
  polygons: [
    {
      type: 'MultiPolygon',
      coordinates: [[squareAround(35.8, 34.4, 0.05)], [squareAround(36.0, 34.5, 0.05)]],
    },
  ],
  circles: [{ center: [35.5, 33.9], radiusMeters: 20_000 }],
  filters: { sexes: ['female'], ageBands: ['18-59'] },
});

describe('CAP export of alerts', () => {
  test(
    'documents validate against the CAP 1.2 schema: draft, issued, restricted, every kind of area',
    needsXmllint,
    async () => {
      const drafted = await post('/api/alerts', manager(), alertBody(fullTarget(), { level: 3 }));
      assert.equal(drafted.statusCode, 201, drafted.body);
      const draftXml = await capOf(drafted.json().id);
      assertValidCap(draftXml);
      const draftCap = parseCap(draftXml);
      assert.equal(draftCap.status, 'Draft', 'an alert not yet issued is not actionable');
      assert.match(draftCap.note ?? '', /when issued its status will be Actual/);

      const { alert } = await issue(
        alertBody(fullTarget(), { level: 3, scope: 'Restricted', restriction: 'Registered nationals' }),
      );
      const xml = await capOf(alert.id);
      assertValidCap(xml);
      const cap = parseCap(xml);
      assert.equal(cap.identifier, alert.identifier);
      assert.equal(cap.sent, alert.sent);
      assert.match(cap.sent, /[+-]\d\d:\d\d$/, 'sent carries a numeric offset');
      assert.equal(cap.status, 'Actual');
      assert.equal(cap.scope, 'Restricted');
      assert.equal(cap.restriction, 'Registered nationals');
      assert.deepEqual(
        cap.info.map((i) => i.language),
        ['ar', 'am', 'en'],
        'one info block per language',
      );
      const [ar] = cap.info;
      assert.equal(ar?.headline, 'اشتباكات مسلحة في المدينة');
      assert.deepEqual(ar?.eventCode, [{ valueName: 'haven:alert-level', value: '3' }]);
      assert.deepEqual(ar?.parameter, [{ valueName: 'haven:response-requested', value: 'safe need-help' }]);
      assert.match(ar?.audience ?? '', /sex female; aged 18-59/);
      const areas = ar?.area ?? [];
      assert.deepEqual(
        areas.map((a) => [a.areaDesc, a.polygon.length, a.circle.length]),
        [
          ['Lebanon', 0, 0],
          ['Beirut southern suburbs, Lebanon', 1, 0],
          ['Area drawn on the map (Lebanon)', 2, 0],
          ['Within 20 km of 33.9, 35.5 (Lebanon)', 0, 1],
        ],
      );
      for (const area of areas) {
        for (const ring of area.polygon) assert.deepEqual(ring[0], ring.at(-1), 'polygons are closed');
      }
      assert.deepEqual(areas[3]?.circle[0], { center: { lat: 33.9, lon: 35.5 }, radiusKm: 20 });
    },
  );

  test(
    'Update and Cancel reference the original, go through the lifecycle, and supersede or cancel it',
    needsXmllint,
    async () => {
      const { alert: original } = await issue(alertBody({ countries: ['LB'] }));
      const update = await post(`/api/alerts/${original.id}/update`, manager(), {
        severity: 'Extreme',
        responseType: ['Evacuate'],
      });
      assert.equal(update.statusCode, 201, update.body);
      const u = update.json();
      assert.equal(u.msgType, 'Update');
      assert.equal(u.state, 'draft');
      assert.equal(u.severity, 'Extreme');
      assert.equal(u.event, original.event, 'the rest comes from the original');
      assert.deepEqual(u.references, [
        { sender: original.sender, identifier: original.identifier, sent: original.sent },
      ]);
      assert.equal(u.followsAlertId, original.id);
      const early = await post(`/api/alerts/${u.id}/issue`, manager());
      assert.equal(early.json().code, 'alert.not_approved');

      const drillUpdate = await post(`/api/alerts/${original.id}/update`, manager(), { status: 'Exercise' });
      assert.equal(drillUpdate.statusCode, 422);
      assert.equal(drillUpdate.json().code, 'alert.status_mismatch');

      await post(`/api/alerts/${u.id}/submit`, manager());
      await post(`/api/alerts/${u.id}/approve`, checker.headers);
      const issuedUpdate = await post(`/api/alerts/${u.id}/issue`, manager());
      assert.equal(issuedUpdate.statusCode, 200, issuedUpdate.body);
      const superseded = (await t.app.inject(`/api/alerts/${original.id}`)).json();
      assert.equal(superseded.state, 'superseded');
      assert.equal(superseded.closedByAlertId, u.id);

      const updateXml = await capOf(u.id);
      assertValidCap(updateXml);
      assert.match(
        updateXml,
        new RegExp(
          `<references>${original.sender},${original.identifier},${original.sent.replace('+', '\\+')}</references>`,
        ),
      );

      const late = await post(`/api/alerts/${original.id}/cancel`, manager(), {
        infos: [{ language: 'en', headline: 'All clear', smsText: 'The alert is over.' }],
      });
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().code, 'alert.already_superseded');

      const cancel = await post(`/api/alerts/${u.id}/cancel`, manager(), {
        infos: [
          { language: 'en', headline: 'All clear', smsText: 'Embassy: the alert is over.' },
          { language: 'ar', headline: 'انتهى الخطر', smsText: 'السفارة: انتهى التنبيه.' },
        ],
        responseType: ['AllClear'],
      });
      assert.equal(cancel.statusCode, 201, cancel.body);
      const c = cancel.json();
      assert.equal(c.msgType, 'Cancel');
      assert.deepEqual(
        c.references.map((r: { identifier: string }) => r.identifier),
        [original.identifier, u.identifier],
      );
      await post(`/api/alerts/${c.id}/submit`, manager());
      await post(`/api/alerts/${c.id}/approve`, checker.headers);
      assert.equal((await post(`/api/alerts/${c.id}/issue`, manager())).statusCode, 200);
      assert.equal((await t.app.inject(`/api/alerts/${u.id}`)).json().state, 'cancelled');
      const cancelXml = await capOf(c.id);
      assertValidCap(cancelXml);
      const cap = parseCap(cancelXml);
      assert.equal(cap.msgType, 'Cancel');
      assert.deepEqual(
        cap.references.map((r) => r.identifier),
        [original.identifier, u.identifier],
      );
      assert.deepEqual(cap.info[0]?.responseType, ['AllClear']);

      const notYet = await post('/api/alerts', manager(), alertBody({ countries: ['LB'] }));
      const tooEarly = await post(`/api/alerts/${notYet.json().id}/update`, manager(), {});
      assert.equal(tooEarly.statusCode, 409);
      assert.equal(tooEarly.json().code, 'alert.not_issued');
    },
  );

  test(
    'a drill is Exercise everywhere: view, CAP, audit, feed; its author may approve it',
    needsXmllint,
    async () => {
      const { alert, report } = await issue(alertBody({ countries: ['LB'] }, { status: 'Exercise' }), true);
      assert.equal(alert.status, 'Exercise');
      assert.equal(alert.drill, true);
      assert.equal(report.recipients, 3);
      const xml = await capOf(alert.id);
      assertValidCap(xml);
      const cap = parseCap(xml);
      assert.equal(cap.status, 'Exercise');
      assert.match(cap.note ?? '', /EXERCISE/);
      const approval = await t.database.db
        .selectFrom('audit_log')
        .select('details')
        .where('details', 'like', `%${alert.id}%`)
        .where('action', '=', 'alerts.approve')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(approval.details).drill, true);
      assert.equal(JSON.parse(approval.details).selfApproved, true);

      const listed = (await t.app.inject('/api/alerts?status=Exercise')).json();
      assert.ok(listed.items.every((a: { drill: boolean }) => a.drill));

      const feed = await t.anonymous({ url: '/public/cap/feed.atom' });
      assert.ok(!feed.body.includes(alert.identifier), 'drills stay out of the default feed');
      const withDrills = await t.anonymous({ url: '/public/cap/feed.atom?drills=include' });
      assertWellFormed(withDrills.body);
      const entry = entriesOf(withDrills.body).find((e) => e.id === alert.identifier);
      assert.ok(entry, 'listed when drills are asked for');
      assert.match(entry.title, /^\[EXERCISE\] /);
    },
  );
});

type Entry = { id: string; title: string; updated: string; summary: string; link: { href: string } };
function entriesOf(xml: string): Entry[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: 'text' }).parse(
    xml,
  );
  const raw = doc.feed.entry ?? [];
  const text = (v: unknown) =>
    typeof v === 'object' && v !== null ? String((v as { text: unknown }).text) : String(v);
  return (Array.isArray(raw) ? raw : [raw]).map((e: Record<string, unknown>) => ({
    id: text(e.id),
    title: text(e.title),
    updated: text(e.updated),
    summary: text(e.summary),
    link: e.link as { href: string },
  }));
}

describe('public CAP feed', () => {
  test(
    'lists issued public alerts, escaped, linking to their public CAP documents',
    needsXmllint,
    async () => {
      const tricky = alertBody({ countries: ['LB'] });
      tricky.infos[2] = {
        ...tricky.infos[2]!,
        headline: 'Shelter <now> & "stay" inside',
        description: 'Roads A&B closed <b>now</b>',
      };
      const { alert } = await issue(tricky);
      const restricted = await issue(
        alertBody({ countries: ['LB'] }, { scope: 'Restricted', restriction: 'Staff' }),
      );
      const draftOnly = (await post('/api/alerts', manager(), alertBody({ countries: ['LB'] }))).json();

      const res = await t.anonymous({ url: '/public/cap/feed.atom' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/atom\+xml/);
      assertWellFormed(res.body);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(res.body);
      assert.equal(doc.feed.xmlns, 'http://www.w3.org/2005/Atom');
      for (const key of ['id', 'title', 'updated', 'author']) assert.ok(doc.feed[key], `feed has ${key}`);
      const entries = entriesOf(res.body);
      const ids = entries.map((e) => e.id);
      assert.ok(ids.includes(alert.identifier));
      assert.ok(!ids.includes(restricted.alert.identifier), 'restricted alerts are not public');
      assert.ok(!ids.includes(draftOnly.identifier), 'drafts are not public');
      assert.ok(!res.body.includes('<now>') && !res.body.includes('<b>'), 'markup in texts is escaped');
      const entry = entries.find((e) => e.id === alert.identifier)!;
      assert.equal(entry.title, 'اشتباكات مسلحة في المدينة');
      assert.match(entry.updated, /^\d{4}-\d\d-\d\dT/);

      const link = new URL(entry.link.href);
      const cap = await t.anonymous({ url: link.pathname });
      assert.equal(cap.statusCode, 200, cap.body);
      assertValidCap(cap.body);
      assert.equal(parseCap(cap.body).identifier, alert.identifier);
      assert.match(cap.body, /Shelter &lt;now&gt; &amp; "stay" inside/);

      for (const hidden of [restricted.alert.identifier, draftOnly.identifier, 'urn:haven:nowhere']) {
        const denied = await t.anonymous({ url: `/public/cap/alerts/${encodeURIComponent(hidden)}.xml` });
        assert.equal(denied.statusCode, 404);
      }
    },
  );
});
