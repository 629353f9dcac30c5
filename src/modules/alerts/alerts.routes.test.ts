import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { alertBody, extraUser, registerPeople, squareAround } from './alerts.test-kit.ts';

let t: TestApp;
let secondManager: { id: string; headers: { authorization: string } };
const DUBAI = [55.27, 25.2] as const;
const ABU_DHABI = [54.37, 24.45] as const;
const HONG_KONG = [114.17, 22.3] as const;
const dubaiSquare = { type: 'Polygon', coordinates: [squareAround(DUBAI[0], DUBAI[1], 0.05)] };

before(async () => {
  t = await buildTestApp();
  secondManager = await extraUser(t, 'crisis_manager', 'second.manager');
  const at = (p: readonly [number, number], i: number) => ({ lon: p[0] + i * 0.001, lat: p[1] + i * 0.001 });
  await registerPeople(t, [
    { ...at(DUBAI, 0), country: 'AE', languages: ['ar'] },
    { ...at(DUBAI, 1), country: 'AE', languages: ['am'] },
    { ...at(DUBAI, 2), country: 'AE', languages: ['am', 'en'] },
    { ...at(DUBAI, 3), country: 'AE', languages: ['fil'] },
    { ...at(DUBAI, 4), country: 'AE', languages: [] },
    { ...at(ABU_DHABI, 0), country: 'AE', languages: ['en'], sex: 'male', birthDate: '1950-01-01' },
    { ...at(ABU_DHABI, 1), country: 'AE', languages: ['ar-AE'], sex: 'male', birthDate: '1990-01-01' },
    { ...at(HONG_KONG, 0), country: 'HK', languages: ['fil'] },
    { ...at(HONG_KONG, 1), country: 'HK', languages: ['en'] },
  ]);
});
after(async () => {
  await t?.close();
});

const officer = () => t.as('consular_officer');
const manager = () => t.as('crisis_manager');
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: object, payload?: object) =>
  t.app.inject({ method, url, headers: headers as Record<string, string>, ...(payload ? { payload } : {}) });

async function draft(headers: object, body: object) {
  const res = await inject('POST', '/api/alerts', headers, body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

async function step(id: string, name: string, headers: object, payload?: object) {
  return inject('POST', `/api/alerts/${id}/${name}`, headers, payload ?? {});
}

describe('alert lifecycle through the API', () => {
  test('an officer drafts for the post, a second person approves, the officer issues; recipients equal the preview', async () => {
    const target = { countries: ['AE'] };
    const preview = await inject('POST', '/api/alerts/preview-count', officer(), { target });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.deepEqual(preview.json(), {
      total: 7,
      byCountry: { AE: 7 },
      withoutCountry: 0,
      outsideJurisdiction: [],
    });

    const alert = await draft(officer(), alertBody(target));
    assert.equal(alert.state, 'draft');
    assert.equal(alert.msgType, 'Alert');
    assert.equal(alert.status, 'Actual');
    assert.equal(alert.drill, false);
    assert.match(alert.identifier, /^urn:haven:[a-z0-9-]+:alert:[0-9a-f-]{36}$/);
    assert.equal(alert.postId, t.fixtures.postAeId);
    assert.deepEqual(alert.countries, ['AE']);
    assert.deepEqual(
      alert.infos.map((i: { language: string; direction: string }) => [i.language, i.direction]),
      [
        ['ar', 'rtl'],
        ['am', 'ltr'],
        ['en', 'ltr'],
      ],
    );

    const early = await step(alert.id, 'issue', officer());
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().code, 'alert.not_approved');

    const submitted = await step(alert.id, 'submit', officer());
    assert.equal(submitted.statusCode, 200, submitted.body);
    assert.equal(submitted.json().state, 'submitted');
    assert.equal(submitted.json().submittedBy, t.fixtures.users.consular_officer.id);

    const stillUnapproved = await step(alert.id, 'issue', officer());
    assert.equal(stillUnapproved.json().code, 'alert.not_approved');

    const approved = await step(alert.id, 'approve', manager());
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().state, 'approved');

    const issued = await step(alert.id, 'issue', officer());
    assert.equal(issued.statusCode, 200, issued.body);
    const { alert: after, report } = issued.json();
    assert.equal(after.state, 'issued');
    assert.match(after.sent, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.equal(report.recipients, preview.json().total);
    assert.deepEqual(report.byCountry, { AE: 7 });
    assert.deepEqual(report.byLanguage, { am: 2, ar: 2, en: 3 });
    assert.equal(
      report.fallbackCount,
      2,
      'the Filipino reader and the person with no language get the fallback',
    );
    assert.deepEqual(
      [...report.fallbacks].sort((a: { wanted: string | null }, b: { wanted: string | null }) =>
        String(a.wanted).localeCompare(String(b.wanted)),
      ),
      [
        { wanted: 'fil', got: 'en', count: 1 },
        { wanted: null, got: 'en', count: 1 },
      ],
    );
    assert.equal(after.recipientCount, 7);
    assert.deepEqual(after.issueReport, report);

    const frozen = await t.database.db
      .selectFrom('alert_recipients')
      .select(['language', 'matched_by'])
      .where('alert_id', '=', alert.id)
      .execute();
    assert.equal(frozen.length, preview.json().total);
    assert.equal(frozen.filter((r) => r.matched_by === 'fallback').length, 2);
    assert.equal(
      frozen.filter((r) => r.matched_by === 'base-language').length,
      1,
      'ar-AE reads the ar block',
    );

    const again = await step(alert.id, 'issue', officer());
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'alert.already_issued');

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('details', 'like', `%${alert.id}%`)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((a) => JSON.parse(a.details).event),
      ['alert.drafted', 'alert.submitted', 'alert.approved', 'alert.issued'],
    );
  });

  test('an Actual alert is not approved by its drafter or submitter', async () => {
    const alert = await draft(manager(), alertBody({ countries: ['HK'] }));
    await step(alert.id, 'submit', manager());
    const self = await step(alert.id, 'approve', manager());
    assert.equal(self.statusCode, 403);
    assert.equal(self.json().code, 'alert.same_approver');
    assert.equal((await inject('GET', `/api/alerts/${alert.id}`, manager())).json().state, 'submitted');

    const byOther = await step(alert.id, 'approve', secondManager.headers);
    assert.equal(byOther.statusCode, 200, byOther.body);
    assert.equal(byOther.json().approvedBy, secondManager.id);
  });

  test('the submitter may not approve a draft someone else wrote', async () => {
    const alert = await draft(officer(), alertBody({ countries: ['AE'] }));
    const reject = await step(alert.id, 'reject', manager(), { reason: 'x' });
    assert.equal(reject.json().code, 'alert.not_submitted');
    await step(alert.id, 'submit', officer());
    const other = await draft(secondManager.headers, alertBody({ countries: ['AE'] }));
    await step(other.id, 'submit', manager());
    const submitterApproves = await step(other.id, 'approve', manager());
    assert.equal(submitterApproves.json().code, 'alert.same_approver');
  });

  test('a rejected alert returns to draft with the reason; only drafts change', async () => {
    const alert = await draft(officer(), alertBody({ countries: ['AE'] }));
    await step(alert.id, 'submit', officer());
    const locked = await inject('PATCH', `/api/alerts/${alert.id}`, officer(), { event: 'Changed' });
    assert.equal(locked.statusCode, 409);
    assert.equal(locked.json().code, 'alert.not_draft');

    const noReason = await step(alert.id, 'reject', manager(), { reason: '   ' });
    assert.equal(noReason.statusCode, 422);
    assert.equal(noReason.json().code, 'alert.reason_missing');
    const rejected = await step(alert.id, 'reject', manager(), { reason: 'Add a Tigrinya block' });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json().state, 'draft');
    assert.equal(rejected.json().rejection.reason, 'Add a Tigrinya block');
    assert.equal(rejected.json().submittedBy, null);

    const ti = { language: 'ti', headline: 'ውግእ', smsText: 'መጠንቀቕታ ካብ ኤምባሲ' };
    const patched = await inject('PATCH', `/api/alerts/${alert.id}`, officer(), {
      infos: [...alertBody({}).infos, ti],
      level: 2,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(
      patched.json().infos.map((i: { language: string }) => i.language),
      ['ar', 'am', 'en', 'ti'],
    );
    assert.equal(patched.json().level, 2);
    assert.equal(patched.json().event, 'Armed clashes', 'fields not in the patch are kept');
  });

  test('counts SMS segments per language and refuses texts over the limit', async () => {
    const long = 'A'.repeat(161);
    const alert = await draft(officer(), {
      ...alertBody({ countries: ['AE'] }),
      infos: [
        { language: 'en', headline: 'Test', smsText: long },
        { language: 'ar', headline: 'اختبار', smsText: 'ب'.repeat(71) },
        { language: 'fil', headline: 'Pagsubok', smsText: `Presyo: 10€ ${'x'.repeat(147)}` },
      ],
    });
    const sms = Object.fromEntries(
      alert.infos.map((i: { language: string; sms: unknown }) => [i.language, i.sms]),
    );
    assert.deepEqual(sms.en, { encoding: 'GSM-7', units: 161, segments: 2, perSegment: 153 });
    assert.deepEqual(sms.ar, { encoding: 'UCS-2', units: 71, segments: 2, perSegment: 67 });
    assert.deepEqual(
      sms.fil,
      { encoding: 'GSM-7', units: 160, segments: 1, perSegment: 160 },
      '€ counts two septets',
    );
    assert.equal(alert.maxSmsSegments, 3);

    const tooLong = await inject('POST', '/api/alerts', officer(), {
      ...alertBody({ countries: ['AE'] }),
      infos: [
        { language: 'en', headline: 'Fine', smsText: 'short' },
        { language: 'am', headline: 'ረጅም', smsText: 'ሀ'.repeat(202) },
      ],
    });
    assert.equal(tooLong.statusCode, 422);
    assert.equal(tooLong.json().code, 'alert.sms_too_long');
    assert.deepEqual(
      tooLong.json().errors.map((e: { field: string; segments: number }) => [e.field, e.segments]),
      [['body.infos[1].smsText', 4]],
    );
  });

  test('a polygon target selects exactly the people inside it, with filters', async () => {
    const square = await inject('POST', '/api/alerts/preview-count', officer(), {
      target: { polygons: [dubaiSquare] },
    });
    assert.deepEqual(square.json().byCountry, { AE: 5 });
    const circle = await inject('POST', '/api/alerts/preview-count', officer(), {
      target: {
        circles: [{ center: [ABU_DHABI[0], ABU_DHABI[1]], radiusMeters: 5000 }],
        filters: { ageBands: ['60+'] },
      },
    });
    assert.equal(circle.json().total, 1);
    const union = await inject('POST', '/api/alerts/preview-count', manager(), {
      target: { polygons: [dubaiSquare], countries: ['HK'], filters: { languages: ['fil'] } },
    });
    assert.deepEqual(union.json().byCountry, { AE: 1, HK: 1 });
  });
});

describe('alerts and jurisdiction', () => {
  test('an officer cannot draft for a country outside the post, nor reach people there with a shape', async () => {
    const named = await inject('POST', '/api/alerts', officer(), alertBody({ countries: ['HK'] }));
    assert.equal(named.statusCode, 403);
    assert.equal(named.json().code, 'alert.outside_jurisdiction');

    const hkSquare = { type: 'Polygon', coordinates: [squareAround(HONG_KONG[0], HONG_KONG[1], 0.05)] };
    const drawn = await inject('POST', '/api/alerts', officer(), alertBody({ polygons: [hkSquare] }));
    assert.equal(drawn.statusCode, 403);
    assert.equal(drawn.json().code, 'alert.outside_jurisdiction');

    const preview = await inject('POST', '/api/alerts/preview-count', officer(), {
      target: { polygons: [hkSquare] },
    });
    assert.equal(preview.statusCode, 200);
    assert.deepEqual(preview.json().outsideJurisdiction, ['HK']);
  });

  test('an officer sees the alerts of the jurisdiction, not those of other posts', async () => {
    const hk = await draft(manager(), alertBody({ countries: ['HK'] }));
    const ae = await draft(manager(), alertBody({ countries: ['AE'] }));
    const hidden = await inject('GET', `/api/alerts/${hk.id}`, officer());
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().code, 'alert.not_found');
    assert.equal((await inject('GET', `/api/alerts/${hk.id}/cap.xml`, officer())).statusCode, 404);
    assert.equal((await step(hk.id, 'submit', officer())).statusCode, 404);
    const list = (await inject('GET', '/api/alerts?limit=200', officer())).json();
    const ids = list.items.map((a: { id: string }) => a.id);
    assert.ok(ids.includes(ae.id));
    assert.ok(!ids.includes(hk.id));
    const all = (await inject('GET', '/api/alerts?limit=200', manager())).json();
    assert.ok(all.items.some((a: { id: string }) => a.id === hk.id));
  });

  test('an officer cannot issue to people recorded in another country, even inside the drawn area', async () => {
    const spot = { circles: [{ center: [56.3, 25.1], radiusMeters: 2000 }] };
    await registerPeople(t, [{ lon: 56.3, lat: 25.1, country: 'AE', languages: ['ar'] }]);
    const alert = await draft(officer(), alertBody(spot));
    await step(alert.id, 'submit', officer());
    await step(alert.id, 'approve', manager());
    await registerPeople(t, [{ lon: 56.301, lat: 25.1, country: 'HK', languages: ['en'] }]);
    const refused = await step(alert.id, 'issue', officer());
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'alert.outside_jurisdiction');
    const frozen = await t.database.db
      .selectFrom('alert_recipients')
      .select('person_id')
      .where('alert_id', '=', alert.id)
      .execute();
    assert.equal(frozen.length, 0, 'nothing is half-issued');
    assert.equal((await inject('GET', `/api/alerts/${alert.id}`, officer())).json().state, 'approved');
    const byHq = await step(alert.id, 'issue', manager());
    assert.equal(byHq.statusCode, 200, byHq.body);
    assert.deepEqual(byHq.json().report.byCountry, { AE: 1, HK: 1 });
  });

  test('partners, employers, host authorities and analysts have no access to alerts', async () => {
    for (const role of [
      'partner_caseworker',
      'employer_liaison',
      'host_authority',
      'analyst',
      'auditor',
    ] as const) {
      const list = await inject('GET', '/api/alerts', t.as(role));
      assert.equal(list.statusCode, 403, role);
      assert.equal(list.json().code, 'access.forbidden');
      const create = await inject('POST', '/api/alerts', t.as(role), alertBody({ countries: ['AE'] }));
      assert.equal(create.statusCode, 403, role);
    }
    const approve = await inject(
      'POST',
      '/api/alerts/01900000-0000-7000-8000-000000000000/approve',
      officer(),
      {},
    );
    assert.equal(approve.json().code, 'access.forbidden', 'an officer does not approve');
  });
});

describe('bad input', () => {
  const bad = async (body: object, code: string, field?: string) => {
    const res = await inject('POST', '/api/alerts', manager(), body);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, code);
    if (field) assert.equal(res.json().errors[0].field, field);
  };

  test('an empty target', async () => {
    await bad(alertBody({}), 'target.empty', 'body.target');
    await bad(alertBody({ filters: { sexes: ['female'] } }), 'target.empty');
    const res = await inject('POST', '/api/alerts/preview-count', manager(), { target: { countries: [] } });
    assert.equal(res.json().code, 'target.empty');
  });

  test('self-intersecting and unclosed polygons, coordinates out of range, bad circles', async () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [55, 25],
          [55.2, 25.2],
          [55.2, 25],
          [55, 25.2],
          [55, 25],
        ],
      ],
    };
    await bad(alertBody({ polygons: [bowtie] }), 'geo.self_intersection');
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [55, 25],
          [55.2, 25],
          [55.2, 25.2],
          [55, 25.2],
        ],
      ],
    };
    await bad(alertBody({ polygons: [open] }), 'geo.ring_not_closed');
    const far = {
      type: 'Polygon',
      coordinates: [
        [
          [55, 25],
          [55.2, 95],
          [55.2, 25.2],
          [55, 25],
        ],
      ],
    };
    await bad(alertBody({ polygons: [far] }), 'geo.coordinate_out_of_range');
    await bad(
      alertBody({ circles: [{ center: [55, 25], radiusMeters: -5 }] }),
      'geo.radius_invalid',
      'body.target.circles[0].radiusMeters',
    );
    const preview = await inject('POST', '/api/alerts/preview-count', manager(), {
      target: { polygons: [bowtie] },
    });
    assert.equal(preview.statusCode, 422);
    assert.equal(preview.json().code, 'geo.self_intersection');
  });

  test('unknown countries and areas, a level outside the scheme, repeated languages, bad dates', async () => {
    await bad(alertBody({ countries: ['XX'] }), 'target.country_unknown', 'body.target.countries[0]');
    await bad(alertBody({ areaIds: ['01900000-0000-7000-8000-000000000000'] }), 'target.area_unknown');
    await bad(alertBody({ countries: ['AE'] }, { level: 9 }), 'alert.level_outside_scheme', 'body.level');
    const twice = alertBody({ countries: ['AE'] });
    await bad(
      { ...twice, infos: [twice.infos[2], { ...twice.infos[2], language: 'EN' }] },
      'alert.duplicate_language',
    );
    await bad(
      alertBody({ countries: ['AE'] }, { expires: '2026-02-30T10:00:00+03:00' }),
      'alert.bad_date',
      'body.expires',
    );
    await bad(alertBody({ countries: ['AE'] }, { expires: '2026-12-01T10:00' }), 'alert.bad_date');
    await bad(
      alertBody(
        { countries: ['AE'] },
        { effective: '2026-12-02T10:00:00Z', expires: '2026-12-01T10:00:00Z' },
      ),
      'alert.expires_before_effective',
    );
    await bad(alertBody({ countries: ['AE'] }, { scope: 'Restricted' }), 'alert.restriction_missing');
  });

  test('an expired alert is not issued', async () => {
    const alert = await draft(
      officer(),
      alertBody({ countries: ['AE'] }, { expires: '2020-01-01T00:00:00+00:00' }),
    );
    await step(alert.id, 'submit', officer());
    await step(alert.id, 'approve', manager());
    const res = await step(alert.id, 'issue', officer());
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'alert.expired');
  });
});
