import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createHelpRequest, listHelpRequestsOfPerson } from './help-requests.service.ts';
import { MAX_PHOTO_BYTES } from './photo.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t?.close();
});

// 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const officer = () => t.as('consular_officer');
const partner = () => t.as('partner_caseworker');

async function person(
  givenNames: string,
  location: { lat: number; lon: number; country: string },
  vulnerabilities: string[] = [],
) {
  const res = await post('/api/persons', { givenNames, familyName: 'Test', location, vulnerabilities });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

const DUBAI = { lat: 25.2048, lon: 55.2708, country: 'AE' };
const KOWLOON = { lat: 22.3193, lon: 114.1694, country: 'HK' };

/** The raw stored value of a column, read past the decrypting plugin (an alias keeps it encrypted). */
async function rawColumn(table: string, column: string, id: string, idColumn = 'id') {
  const r = await sql<{
    v: string | null;
  }>`select ${sql.ref(column)} as v from ${sql.table(table)} where ${sql.ref(idColumn)} = ${id}`.execute(
    t.database.db,
  );
  return r.rows[0]?.v ?? null;
}

async function auditActions(personId: string) {
  const rows = await t.database.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'actor_role', 'person_ids'])
    .orderBy('seq')
    .execute();
  return rows.filter((r) => (JSON.parse(r.person_ids) as string[]).includes(personId));
}

describe('help requests', () => {
  let maria: string;
  let ana: string;
  let hkPerson: string;

  before(async () => {
    maria = await person('Maria', DUBAI, ['pregnant']);
    ana = await person('Ana', DUBAI);
    hkPerson = await person('Lina', KOWLOON);
    const level = await post(
      '/api/alert-levels',
      { country: 'AE', level: 3, reason: 'Escalating conflict (test)' },
      t.as('crisis_manager'),
    );
    assert.equal(level.statusCode, 201, level.body);
  });

  test('createHelpRequest routes, triages with vulnerabilities and the alert level, and encrypts the text', async () => {
    const created = await createHelpRequest(t.database.db, {
      personId: maria,
      type: 'medical',
      isSos: false,
      channel: 'web',
      text: 'Bleeding, needs a clinic',
      location: { lat: 25.2, lng: 55.27 },
    });
    assert.equal(created.postId, t.fixtures.postAeId);
    assert.equal(created.priority, 'critical', 'medical 50 + pregnant 20 + level 3 20 = 90');
    const row = await t.database.db
      .selectFrom('help_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.score, 90);
    assert.deepEqual(JSON.parse(row.reasons), [
      { code: 'type.medical', points: 50 },
      { code: 'vulnerability.pregnant', points: 20 },
      { code: 'alert_level.3', points: 20 },
    ]);
    assert.equal(row.sla_due_at, created.slaDueAt);
    assert.equal(Date.parse(row.sla_due_at) - Date.parse(row.created_at), 15 * 60_000);
    assert.equal(row.free_text_enc, 'Bleeding, needs a clinic');
    const raw = await rawColumn('help_requests', 'free_text_enc', created.id);
    assert.ok(raw?.startsWith('enc1:') && !raw.includes('Bleeding'), 'the text is encrypted at rest');
    assert.ok(row.h3_cell);

    const mine = await listHelpRequestsOfPerson(t.database.db, maria);
    assert.equal(mine[0]?.id, created.id);
    assert.equal(mine[0]?.status, 'new');
    assert.equal(mine[0]?.isSos, false);
    const audit = await auditActions(maria);
    assert.ok(audit.some((a) => a.action === 'help_requests.create' && a.actor_role === 'person'));
  });

  test('works inside the caller’s transaction and rolls back with it', async () => {
    await assert.rejects(
      t.database.db.transaction().execute(async (trx) => {
        await createHelpRequest(trx, { personId: ana, type: 'food_water', isSos: false, channel: 'sms' });
        throw new Error('caller fails');
      }),
      /caller fails/,
    );
    assert.equal((await listHelpRequestsOfPerson(t.database.db, ana)).length, 0);
  });

  test('a location inside another covered country routes the request to that country’s post', async () => {
    const created = await createHelpRequest(t.database.db, {
      personId: ana,
      type: 'shelter',
      isSos: true,
      channel: 'link',
      location: { lat: KOWLOON.lat, lng: KOWLOON.lon },
    });
    assert.equal(created.postId, t.fixtures.postHkId);
    assert.equal(created.priority, 'critical', 'an SOS is critical');
  });

  test('where several posts cover a country, the nearest one gets the request', async () => {
    const newPost = async (name: string, kind: string, lat: number, lon: number) => {
      const res = await post('/api/posts', {
        organizationId: t.fixtures.originOrgId,
        name,
        kind,
        country: 'QA',
        lat,
        lon,
        jurisdiction: ['QA'],
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };
    const embassy = await newPost('Embassy Doha (test)', 'embassy', 25.2854, 51.531);
    const consulate = await newPost('Consulate Al Khor (test)', 'consulate', 25.6839, 51.5058);
    const resident = await person('Rosa', { lat: 25.29, lon: 51.52, country: 'QA' });
    const fromHome = await createHelpRequest(t.database.db, {
      personId: resident,
      type: 'food_water',
      isSos: false,
      channel: 'web',
    });
    assert.equal(fromHome.postId, embassy, 'the registered place, near Doha');
    const fromNorth = await createHelpRequest(t.database.db, {
      personId: resident,
      type: 'food_water',
      isSos: false,
      channel: 'web',
      location: { lat: 25.7, lng: 51.49 },
    });
    assert.equal(fromNorth.postId, consulate, 'the point the request came from, near Al Khor');
  });

  test('the post queue: most urgent first, SLA state, reasons, audited', async () => {
    await createHelpRequest(t.database.db, {
      personId: ana,
      type: 'documents',
      isSos: false,
      channel: 'web',
    });
    await createHelpRequest(t.database.db, {
      personId: ana,
      type: 'evacuation',
      isSos: false,
      channel: 'web',
    });
    const res = await get('/api/help-requests', officer());
    assert.equal(res.statusCode, 200, res.body);
    const queue = res.json();
    assert.equal(queue.postId, t.fixtures.postAeId);
    const priorities = queue.items.map((i: { priority: string }) => i.priority);
    // evacuation 30 + level 3 20 = 50 is high; documents 10 + 20 = 30 is medium.
    assert.deepEqual(priorities, ['critical', 'high', 'medium']);
    const first = queue.items[0];
    assert.equal(first.person.name, 'Maria Test');
    assert.equal(first.sla.overdue, false);
    assert.ok(first.sla.minutesLeft >= 14 && first.sla.minutesLeft <= 15);
    assert.equal(first.sla.actedAt, null);
    assert.deepEqual(
      first.reasons.map((r: { code: string }) => r.code),
      ['type.medical', 'vulnerability.pregnant', 'alert_level.3'],
    );
    const dues = queue.items.map((i: { sla: { dueAt: string } }) => i.sla.dueAt);
    assert.ok(dues[0] <= dues[1] && dues[1] <= dues[2]);
    assert.ok(
      (await auditActions(maria)).some((a) => a.action === 'help_requests.list' && a.outcome === 'allowed'),
    );

    const medium = await get('/api/help-requests?priority=medium', officer());
    assert.deepEqual(
      medium.json().items.map((i: { type: string }) => i.type),
      ['documents'],
    );
    const other = await get(`/api/help-requests?post=${t.fixtures.postHkId}`, officer());
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'help_request.post_outside_scope');
    const hq = await get(`/api/help-requests?post=${t.fixtures.postHkId}`);
    assert.equal(hq.statusCode, 200);
    assert.equal(hq.json().items.length, 1, 'headquarters sees any post’s queue');
  });

  test('an officer opens a request with a photo, works it through notes to a close, and every step is history', async () => {
    const opened = await post(
      `/api/persons/${ana}/help-requests`,
      {
        type: 'protection',
        text: 'Employer threatens her (phone call)',
        photo: { contentType: 'image/png', data: PNG.toString('base64') },
      },
      officer(),
    );
    assert.equal(opened.statusCode, 201, opened.body);
    const req = opened.json();
    assert.equal(req.channel, 'officer');
    assert.equal(req.priority, 'high', 'protection 50 + level 3 20 = 70');
    assert.equal(req.freeText, 'Employer threatens her (phone call)');
    assert.deepEqual(req.actions.statuses, ['acknowledged', 'in_progress']);
    assert.equal(req.photo.url, `/api/help-requests/${req.id}/photo`);

    const photo = await get(req.photo.url, officer());
    assert.equal(photo.statusCode, 200);
    assert.equal(photo.headers['content-type'], 'image/png');
    assert.deepEqual(photo.rawPayload, PNG);
    const rawPhoto = await rawColumn('help_request_photos', 'photo_enc', req.id, 'help_request_id');
    assert.ok(rawPhoto?.startsWith('enc1:'));

    const me = t.fixtures.users.consular_officer.id;
    const assigned = await post(`/api/help-requests/${req.id}/assign`, { userId: me }, officer());
    assert.equal(assigned.statusCode, 200, assigned.body);
    assert.equal(assigned.json().status, 'acknowledged');
    assert.equal(assigned.json().assignedTo.email, t.fixtures.users.consular_officer.email);
    assert.ok(assigned.json().sla.actedAt, 'assigning stops the SLA clock');

    const going = await post(`/api/help-requests/${req.id}/status`, { status: 'in_progress' }, officer());
    assert.equal(going.statusCode, 200, going.body);
    const back = await post(`/api/help-requests/${req.id}/status`, { status: 'acknowledged' }, officer());
    assert.equal(back.statusCode, 409);
    assert.equal(back.json().code, 'help_request.bad_transition');

    const noted = await post(
      `/api/help-requests/${req.id}/notes`,
      { text: 'Called back; safe at a friend’s' },
      officer(),
    );
    assert.equal(noted.statusCode, 200, noted.body);
    const note = noted.json().notes[0];
    assert.equal(note.text, 'Called back; safe at a friend’s');
    const rawNote = await rawColumn('help_request_events', 'notes_enc', note.id);
    assert.ok(rawNote?.startsWith('enc1:') && !rawNote.includes('friend'));

    const closed = await post(`/api/help-requests/${req.id}/close`, { outcome: 'assisted' }, officer());
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().status, 'closed');
    assert.equal(closed.json().outcome, 'assisted');
    assert.ok(closed.json().closedAt);
    const again = await post(`/api/help-requests/${req.id}/close`, { outcome: 'assisted' }, officer());
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'help_request.already_closed');

    const detail = await get(`/api/help-requests/${req.id}`, officer());
    assert.deepEqual(
      detail.json().history.map((h: { kind: string; toStatus: string }) => `${h.kind}:${h.toStatus}`),
      ['created:new', 'assigned:acknowledged', 'status:in_progress', 'note:in_progress', 'closed:closed'],
    );
    assert.equal(detail.json().history[1].assignee.id, me);
    const actions = (await auditActions(ana)).map((a) => a.action);
    for (const action of [
      'help_requests.create',
      'help_requests.photo',
      'help_requests.assign',
      'help_requests.status',
      'help_requests.note',
      'help_requests.close',
      'help_requests.read',
    ])
      assert.ok(actions.includes(action), action);
  });

  test('assigning: only within the organisation holding the request, to someone who could work it', async () => {
    const { id } = await createHelpRequest(t.database.db, {
      personId: ana,
      type: 'legal',
      isSos: false,
      channel: 'web',
    });
    const partnerUser = await post(
      `/api/help-requests/${id}/assign`,
      { userId: t.fixtures.users.partner_caseworker.id },
      officer(),
    );
    assert.equal(partnerUser.statusCode, 409);
    assert.equal(partnerUser.json().code, 'help_request.assignee_other_organization');
    const analyst = await post(
      `/api/help-requests/${id}/assign`,
      { userId: t.fixtures.users.analyst.id },
      officer(),
    );
    assert.equal(analyst.json().code, 'help_request.assignee_cannot_work');
    const nobody = await post(
      `/api/help-requests/${id}/assign`,
      { userId: '01900000-0000-7000-8000-000000000000' },
      officer(),
    );
    assert.equal(nobody.statusCode, 422);
    assert.equal(nobody.json().code, 'help_request.assignee_not_found');
    const list = await get(`/api/help-requests/${id}/assignees`, officer());
    const emails = list.json().items.map((u: { email: string }) => u.email);
    assert.ok(emails.includes(t.fixtures.users.consular_officer.email));
    assert.ok(emails.includes(t.fixtures.users.hq_admin.email));
    assert.ok(!emails.includes(t.fixtures.users.analyst.email));
  });

  test('referral needs an agreement covering the person and their consent; the partner then works it', async () => {
    const { id } = await createHelpRequest(t.database.db, {
      personId: maria,
      type: 'shelter',
      isSos: false,
      channel: 'web',
      text: 'Evicted tonight',
    });
    const partnerOrg = t.fixtures.partnerOrgId;
    const none = await post(`/api/help-requests/${id}/refer`, { organizationId: partnerOrg }, officer());
    assert.equal(none.statusCode, 409);
    assert.equal(none.json().code, 'help_request.referral_no_agreement');

    const agreement = await post('/api/agreements', {
      partnerOrganizationId: partnerOrg,
      purpose: 'Shelter referral (test)',
      categories: ['contact', 'case_notes'],
      countries: ['AE'],
      startsOn: '2020-01-01',
      endsOn: '2099-12-31',
    });
    assert.equal(agreement.statusCode, 201, agreement.body);
    const noConsent = await post(`/api/help-requests/${id}/refer`, { organizationId: partnerOrg }, officer());
    assert.equal(noConsent.statusCode, 403);
    assert.equal(noConsent.json().code, 'help_request.referral_no_consent');
    const partners = await get(`/api/help-requests/${id}/partners`, officer());
    assert.deepEqual(
      partners.json().items.map((p: { id: string; refusal: string }) => [p.id, p.refusal]),
      [[partnerOrg, 'no_consent']],
    );

    const consent = await post(`/api/persons/${maria}/consents`, {
      status: 'granted',
      channel: 'phone',
      organizationId: partnerOrg,
    });
    assert.equal(consent.statusCode, 201, consent.body);
    const notPartner = await post(
      `/api/help-requests/${id}/refer`,
      { organizationId: t.fixtures.employerOrgId },
      officer(),
    );
    assert.equal(notPartner.json().code, 'help_request.partner_type');
    const referred = await post(`/api/help-requests/${id}/refer`, { organizationId: partnerOrg }, officer());
    assert.equal(referred.statusCode, 200, referred.body);
    assert.equal(referred.json().status, 'referred');
    assert.equal(referred.json().referredTo.id, partnerOrg);

    const queue = await get('/api/help-requests', partner());
    assert.equal(queue.statusCode, 200, queue.body);
    assert.deepEqual(
      queue.json().items.map((i: { id: string }) => i.id),
      [id],
      'a partner sees only what was referred to it',
    );
    const seen = await get(`/api/help-requests/${id}`, partner());
    assert.equal(seen.statusCode, 200, seen.body);
    assert.equal(seen.json().freeText, 'Evicted tonight', 'the agreement grants case notes');
    assert.equal(seen.json().location, null, 'but not the location');
    assert.deepEqual(
      seen.json().reasons,
      [
        { code: 'type.shelter', points: 25 },
        { code: 'alert_level.3', points: 20 },
        { code: 'vulnerability.withheld', points: 20 },
      ],
      'the agreement does not cover vulnerabilities: their points show, not what they are',
    );
    assert.deepEqual(seen.json().actions.statuses, []);
    const partnerStatus = await post(`/api/help-requests/${id}/status`, { status: 'in_progress' }, partner());
    assert.equal(partnerStatus.statusCode, 403);
    const partnerSelf = await post(
      `/api/help-requests/${id}/assign`,
      { userId: t.fixtures.users.partner_caseworker.id },
      partner(),
    );
    assert.equal(partnerSelf.statusCode, 200, partnerSelf.body);
    const partnerNote = await post(
      `/api/help-requests/${id}/notes`,
      { text: 'Placed in shelter' },
      partner(),
    );
    assert.equal(partnerNote.statusCode, 200, partnerNote.body);
    const partnerClose = await post(
      `/api/help-requests/${id}/close`,
      { outcome: 'referred_assisted' },
      partner(),
    );
    assert.equal(partnerClose.statusCode, 200, partnerClose.body);
  });

  test('the post takes a referred request back', async () => {
    const { id } = await createHelpRequest(t.database.db, {
      personId: maria,
      type: 'food_water',
      isSos: false,
      channel: 'web',
    });
    const referred = await post(
      `/api/help-requests/${id}/refer`,
      { organizationId: t.fixtures.partnerOrgId },
      officer(),
    );
    assert.equal(referred.statusCode, 200, referred.body);
    const back = await post(`/api/help-requests/${id}/status`, { status: 'in_progress' }, officer());
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.json().referredTo, null);
    const partnerView = await get(`/api/help-requests/${id}`, partner());
    assert.equal(partnerView.statusCode, 404);
  });

  test('two officers closing at once: one closes it, the other is told it is closed', async () => {
    const { id } = await createHelpRequest(t.database.db, {
      personId: ana,
      type: 'other',
      isSos: false,
      channel: 'web',
    });
    const answers = await Promise.all([
      post(`/api/help-requests/${id}/close`, { outcome: 'assisted' }, officer()),
      post(`/api/help-requests/${id}/close`, { outcome: 'duplicate' }),
    ]);
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 409]);
    assert.equal(answers.find((a) => a.statusCode === 409)?.json().code, 'help_request.already_closed');
    const events = await t.database.db
      .selectFrom('help_request_events')
      .select('kind')
      .where('help_request_id', '=', id)
      .where('kind', '=', 'closed')
      .execute();
    assert.equal(events.length, 1, 'closed once in the history');
  });

  test('bad input gets coded answers and stores nothing', async () => {
    const before = await t.database.db
      .selectFrom('help_requests')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const cases: Array<[unknown, number, string]> = [
      [{ type: 'money' }, 422, 'help_request.type_unknown'],
      [{ type: 'medical', text: 'x'.repeat(2001) }, 422, 'help_request.text_too_long'],
      [{ type: 'medical', location: { lat: 91, lng: 0 } }, 422, 'help_request.location_invalid'],
      [
        { type: 'medical', photo: { contentType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' } },
        415,
        'help_request.photo_type',
      ],
      [
        { type: 'medical', photo: { contentType: 'image/jpeg', data: PNG.toString('base64') } },
        415,
        'help_request.photo_mismatch',
      ],
      [
        { type: 'medical', photo: { contentType: 'image/png', data: 'not base64!' } },
        422,
        'help_request.photo_encoding',
      ],
      [
        {
          type: 'medical',
          photo: {
            contentType: 'image/png',
            data: Buffer.concat([PNG, Buffer.alloc(MAX_PHOTO_BYTES)]).toString('base64'),
          },
        },
        413,
        'help_request.photo_too_large',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(`/api/persons/${ana}/help-requests`, body, officer());
      assert.equal(res.statusCode, status, `${code}: ${res.body.slice(0, 200)}`);
      assert.equal(res.json().code, code);
    }
    const after = await t.database.db
      .selectFrom('help_requests')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
    await assert.rejects(
      createHelpRequest(t.database.db, { personId: ana, type: 'x' as never, isSos: false, channel: 'web' }),
      (e: { code?: string }) => e.code === 'help_request.type_unknown',
    );
  });

  test('persons and requests outside the officer’s reach look missing', async () => {
    const res = await post(`/api/persons/${hkPerson}/help-requests`, { type: 'medical' }, officer());
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'person.not_found');
    const { id } = await createHelpRequest(t.database.db, {
      personId: hkPerson,
      type: 'medical',
      isSos: false,
      channel: 'web',
    });
    for (const url of [`/api/help-requests/${id}`, `/api/help-requests/${id}/photo`]) {
      const r = await get(url, officer());
      assert.equal(r.statusCode, 404);
      assert.equal(r.json().code, 'help_request.not_found');
    }
    const close = await post(`/api/help-requests/${id}/close`, { outcome: 'assisted' }, officer());
    assert.equal(close.json().code, 'help_request.not_found');
    const denied = (await auditActions(hkPerson)).filter((a) => a.outcome === 'denied').map((a) => a.action);
    assert.ok(denied.includes('help_requests.create') && denied.includes('help_requests.read'));
    const missing = await get('/api/help-requests/01900000-0000-7000-8000-000000000000', officer());
    assert.equal(missing.json().code, 'help_request.not_found');
  });
});
