// Evacuees drawn from the people who asked to be evacuated: open help requests of type evacuation and
// "I need help" answers to the alerts of the operation's country, households brought along, the
// operation's area respected, a second run adding nobody twice, and an overlapping operation refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { newId } from '../../lib/ids.ts';
import { alertBody } from '../alerts/alerts.test-kit.ts';
import { type Caller, callerFor, expectStatus } from './evacuation.test-kit.ts';

let t: TestApp;
let admin: Caller;

const DUBAI = { lat: 25.2, lon: 55.27 };
const ABU_DHABI = { lat: 24.45, lon: 54.38 };
const DUBAI_AREA = {
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

async function person(where: { lat: number; lon: number }, country = 'AE', householdId?: string) {
  const body = {
    givenNames: 'Asked',
    familyName: 'To Leave',
    sex: 'F',
    documentStatus: 'with_person',
    location: { ...where, country },
    ...(householdId ? { householdId } : {}),
  };
  return (await expectStatus(admin('POST', '/api/persons', body), 201)).id as string;
}

async function issueAlert(country: string): Promise<string> {
  const drafted = await expectStatus(admin('POST', '/api/alerts', alertBody({ countries: [country] })), 201);
  const step = (name: string, headers?: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/alerts/${drafted.id}/${name}`,
      payload: {},
      ...(headers ? { headers } : {}),
    });
  assert.equal((await step('submit')).statusCode, 200);
  assert.equal((await step('approve', t.as('crisis_manager'))).statusCode, 200);
  const issued = await step('issue');
  assert.equal(issued.statusCode, 200, issued.body);
  return drafted.id;
}

async function helpRequest(
  personId: string,
  type: string,
  status = 'new',
  at?: { lat: number; lng: number },
) {
  const now = new Date().toISOString();
  await t.database.db
    .insertInto('help_requests')
    .values({
      id: newId(),
      person_id: personId,
      post_id: t.fixtures.postAeId,
      alert_id: null,
      type,
      is_sos: 0,
      channel: 'web',
      lat: at?.lat ?? null,
      lng: at?.lng ?? null,
      h3_cell: null,
      free_text_enc: null,
      priority: 'high',
      score: 50,
      reasons: '[]',
      sla_due_at: now,
      status,
      assigned_to: null,
      referred_to: null,
      outcome: null,
      created_at: now,
      updated_at: now,
      closed_at: status === 'closed' ? now : null,
    })
    .execute();
}

let answerClock = Date.now() - 3_600_000;
async function answer(personId: string, alertId: string, value: 'safe' | 'need_help') {
  answerClock += 60_000;
  const at = new Date(answerClock).toISOString();
  await t.database.db
    .insertInto('responses')
    .values({
      id: newId(answerClock),
      person_id: personId,
      alert_id: alertId,
      answer: value,
      channel: 'sms',
      language: null,
      recorded_by: null,
      received_at: at,
      created_at: at,
    })
    .execute();
}

const s = {} as {
  family: string[];
  needsHelp: string;
  nowSafe: string;
  medicalOnly: string;
  closedRequest: string;
  inHongKong: string;
  sosInDubai: string;
};

const fromRequests = (operationId: string, body: object = {}) =>
  admin('POST', `/api/evacuation/operations/${operationId}/evacuees/from-requests`, body);

const openOperation = async (crisis: string, areaId?: string) =>
  (
    await expectStatus(
      admin('POST', '/api/evacuation/operations', {
        crisis,
        country: 'AE',
        alertLevel: 4,
        ...(areaId ? { areaId } : {}),
      }),
      201,
    )
  ).id as string;

before(async () => {
  t = await buildTestApp();
  admin = callerFor(t);
  const household = await expectStatus(
    admin('POST', '/api/households', { label: 'Family asking to leave', kind: 'household' }),
    201,
  );
  s.family = [
    await person(DUBAI, 'AE', household.id),
    await person(DUBAI, 'AE', household.id),
    await person(DUBAI, 'AE', household.id),
  ];
  s.needsHelp = await person(ABU_DHABI);
  s.nowSafe = await person(DUBAI);
  s.medicalOnly = await person(DUBAI);
  s.closedRequest = await person(DUBAI);
  s.inHongKong = await person({ lat: 22.3, lon: 114.17 }, 'HK');
  // Registered in Abu Dhabi, but asked for evacuation from Dubai: the request's position counts.
  s.sosInDubai = await person(ABU_DHABI);

  await helpRequest(s.family[0]!, 'evacuation');
  await helpRequest(s.medicalOnly, 'medical');
  await helpRequest(s.closedRequest, 'evacuation', 'closed');
  await helpRequest(s.inHongKong, 'evacuation');
  await helpRequest(s.sosInDubai, 'evacuation', 'new', { lat: DUBAI.lat, lng: DUBAI.lon });

  const aeAlert = await issueAlert('AE');
  const hkAlert = await issueAlert('HK');
  await answer(s.needsHelp, aeAlert, 'need_help');
  await answer(s.nowSafe, aeAlert, 'need_help');
  await answer(s.nowSafe, aeAlert, 'safe');
  await answer(s.inHongKong, hkAlert, 'need_help');
});
after(async () => {
  await t?.close();
});

describe('evacuees from help requests and answers', () => {
  test('an operation limited to an area adds only the people inside it, and reports the others', async () => {
    const area = await expectStatus(
      t.app.inject({
        method: 'POST',
        url: '/api/areas',
        headers: t.as('crisis_manager'),
        payload: { name: 'Dubai (evacuation test)', country: 'AE', geometry: DUBAI_AREA },
      }),
      201,
    );
    const operation = await openOperation('Dubai floods (test)', area.id);
    const result = await expectStatus(fromRequests(operation), 200);
    assert.deepEqual(result.found, { helpRequests: 2, responses: 1, alerts: 1 });
    const added = new Map(
      result.addedPersons.map((a: { personId: string; source: string }) => [a.personId, a.source]),
    );
    assert.equal(added.get(s.family[0]!), 'help_request');
    assert.equal(added.get(s.family[1]!), 'household');
    assert.equal(added.get(s.family[2]!), 'household');
    assert.equal(added.get(s.sosInDubai), 'help_request', 'the position given with the request counts');
    assert.equal(result.added, 4);
    assert.equal(result.householdMembersAdded, 2);
    assert.deepEqual(result.skipped, [{ personId: s.needsHelp, reason: 'outside_operation_area' }]);
    assert.deepEqual(result.skippedByReason, { outside_operation_area: 1 });
    // Closing the operation frees its people for the next one.
    await expectStatus(admin('PATCH', `/api/evacuation/operations/${operation}`, { status: 'closed' }), 200);
  });

  let operation = '';
  test('a country-wide operation adds requests and answers with households, once', async () => {
    operation = await openOperation('Gulf evacuation (test)');
    const result = await expectStatus(fromRequests(operation), 200);
    const added = new Map(
      result.addedPersons.map((a: { personId: string; source: string }) => [a.personId, a.source]),
    );
    assert.deepEqual(
      [...added.keys()].sort(),
      [...s.family, s.needsHelp, s.sosInDubai].sort(),
      'not the medical request, the closed one, the person now safe, nor anyone in Hong Kong',
    );
    assert.equal(added.get(s.needsHelp), 'response');
    assert.deepEqual(result.skipped, []);

    const evacuees = await expectStatus(
      admin('GET', `/api/evacuation/operations/${operation}/evacuees`),
      200,
    );
    const sources = new Map(
      evacuees.items.map((e: { personId: string; source: string; groupId: string }) => [e.personId, e]),
    );
    assert.equal(sources.size, 5);
    const family = s.family.map((id) => sources.get(id) as { groupId: string; source: string });
    assert.equal(new Set(family.map((f) => f.groupId)).size, 1, 'the household is one group');

    const again = await expectStatus(fromRequests(operation), 200);
    assert.equal(again.added, 0, 'a second run adds nobody twice');
    assert.deepEqual(
      again.skipped.map((x: { personId: string }) => x.personId).sort(),
      [s.family[0]!, s.needsHelp, s.sosInDubai].sort(),
    );
    assert.deepEqual(again.skippedByReason, { already_in_operation: 3 });
  });

  test('only the sources asked for are read; named alerts must concern the country', async () => {
    const answersOnly = await expectStatus(fromRequests(operation, { sources: ['responses'] }), 200);
    assert.deepEqual(answersOnly.found, { helpRequests: 0, responses: 1, alerts: 1 });
    await expectStatus(
      fromRequests(operation, { sources: ['help_requests'], alertIds: [newId()] }),
      422,
      'evacuation.alerts_without_responses',
    );
    await expectStatus(fromRequests(operation, { alertIds: [newId()] }), 422, 'evacuation.alert_not_found');
    await expectStatus(fromRequests(operation, { sources: [] }), 400);
  });

  test('an overlapping operation is refused the same people, and adds nobody', async () => {
    const other = await openOperation('Overlapping evacuation (test)');
    await expectStatus(fromRequests(other), 409, 'evacuation.person_in_other_operation');
    const none = await expectStatus(admin('GET', `/api/evacuation/operations/${other}/evacuees`), 200);
    assert.deepEqual(none.items, [], 'nothing half-added');

    const skipping = await expectStatus(fromRequests(other, { skipPersonsInOtherOperations: true }), 200);
    assert.equal(skipping.added, 0);
    assert.deepEqual(skipping.skippedByReason, { in_other_operation: 3 });
  });

  test('a consular officer of another country finds no operation', async () => {
    const officer = callerFor(t, 'consular_officer');
    // The officer's post covers the United Arab Emirates; an operation elsewhere is not theirs.
    const hk = await expectStatus(
      admin('POST', '/api/evacuation/operations', { crisis: 'Typhoon (test)', country: 'HK', alertLevel: 4 }),
      201,
    );
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${hk.id}/evacuees/from-requests`, {}),
      404,
      'evacuation.operation_not_found',
    );
  });
});
