import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { issueAlert, markSent, registerBoardPeople } from '../board/board.test-kit.ts';
import { runFollowUpStep } from './followups.scheduler.ts';
import { followUpSettingsFrom } from './followups.settings.ts';

let t: TestApp;
let ids: string[];
let alertId: string;
const id = (i: number) => ids[i]!;

type Entry = { id: string; personId: string; phones: string[]; name: string; status: string; drill: boolean };

before(async () => {
  t = await buildTestApp();
  ids = await registerBoardPeople(t, [
    { country: 'AE', sex: 'female', birthYear: 1990, phone: '+971501230000' },
    { country: 'AE', sex: 'male', birthYear: 1980, phone: '+971501230001' },
    { country: 'AE', sex: 'female', birthYear: 1970, phone: '+971501230002' },
    { country: 'HK', sex: 'male', birthYear: 1985, phone: '+85291230003' },
  ]);
  alertId = await issueAlert(t, { countries: ['AE', 'HK'] }, { status: 'Exercise' });
  await markSent(t, alertId, ids);
  const issued = await t.database.db
    .selectFrom('alerts')
    .select('issued_at')
    .where('id', '=', alertId)
    .executeTakeFirstOrThrow();
  const report = await runFollowUpStep(t.database, {
    settings: followUpSettingsFrom({}),
    channelOrder: ['push', 'sms', 'email'],
    workerId: 'test',
    now: () => new Date(Date.parse(issued.issued_at!) + 121 * 60_000),
  });
  assert.equal(report.callListAdded, 4);
});
after(async () => {
  await t?.close();
});

const list = (query: string, headers?: Record<string, string>) =>
  t.app.inject({ url: `/api/call-list${query}`, ...(headers ? { headers } : {}) });
const outcome = (entryId: string, body: unknown, headers?: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: `/api/call-list/${entryId}/outcome`,
    payload: body as object,
    ...(headers ? { headers } : {}),
  });

async function entryOf(personId: string): Promise<Entry> {
  const res = await list(`?alert=${alertId}`);
  const entry = (res.json().items as Entry[]).find((e) => e.personId === personId);
  assert.ok(entry, 'the person is on the call list');
  return entry;
}

describe('the call list', () => {
  test("an officer sees the jurisdiction's silent people with their phones, and the read is audited", async () => {
    const res = await list('', t.as('consular_officer'));
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Entry[];
    assert.deepEqual(
      items.map((e) => e.personId),
      [0, 1, 2].map(id),
    );
    assert.deepEqual(items[0]?.phones, ['+971501230000']);
    assert.equal(items[0]?.drill, true, 'a drill follows the same rules, marked as one');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('person_ids')
      .where('action', '=', 'calls.list')
      .where('actor_role', '=', 'consular_officer')
      .execute();
    assert.deepEqual(JSON.parse(audit.at(-1)!.person_ids), [0, 1, 2].map(id));
  });

  test("filters by alert and by a post's jurisdiction, pages, and refuses an unknown post", async () => {
    const hk = await list(`?alert=${alertId}&post=${t.fixtures.postHkId}`);
    assert.deepEqual(
      (hk.json().items as Entry[]).map((e) => e.personId),
      [id(3)],
    );
    const page = await list('?limit=3');
    assert.equal(page.json().items.length, 3);
    const rest = await list(`?limit=3&cursor=${page.json().nextCursor}`);
    assert.equal(rest.json().items.length, 1);
    assert.equal(rest.json().nextCursor, null);
    const unknown = await list('?post=01900000-0000-7000-8000-000000000000');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'call_list.post_not_found');
  });

  test('no answer keeps the entry open; reached records the answer by the officer and closes it', async () => {
    const officer = t.as('consular_officer');
    const entry = await entryOf(id(0));
    const missed = await outcome(entry.id, { outcome: 'no_answer' }, officer);
    assert.equal(missed.statusCode, 200, missed.body);
    assert.deepEqual([missed.json().status, missed.json().attempts], ['open', 1]);

    const reached = await outcome(entry.id, { outcome: 'reached_safe' }, officer);
    assert.equal(reached.statusCode, 200, reached.body);
    assert.deepEqual([reached.json().status, reached.json().attempts], ['closed', 2]);
    const response = await t.database.db
      .selectFrom('responses')
      .selectAll()
      .where('id', '=', reached.json().responseId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [response.person_id, response.alert_id, response.answer, response.channel, response.recorded_by],
      [id(0), alertId, 'safe', 'officer', t.fixtures.users.consular_officer.id],
    );
    const board = (await t.app.inject({ url: `/api/alerts/${alertId}/board` })).json();
    assert.equal(board.totals.safe, 1);
    assert.equal(board.followUps.callListClosed, 1);

    const again = await outcome(entry.id, { outcome: 'reached_need_help' }, officer);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'call_list.closed');
    const closed = await list('?status=closed');
    assert.deepEqual(
      (closed.json().items as Entry[]).map((e) => e.personId),
      [id(0)],
    );
  });

  test('need help is recorded as such; a wrong number closes the entry and leaves the person unaccounted', async () => {
    const helped = await outcome((await entryOf(id(1))).id, { outcome: 'reached_need_help' });
    assert.equal(helped.json().status, 'closed');
    const opened = await t.database.db
      .selectFrom('help_requests')
      .select(['alert_id', 'channel', 'status'])
      .where('person_id', '=', id(1))
      .execute();
    assert.deepEqual(opened, [{ alert_id: alertId, channel: 'officer', status: 'new' }], 'a case is opened');
    const wrong = await outcome((await entryOf(id(2))).id, { outcome: 'wrong_number' });
    assert.deepEqual([wrong.json().status, wrong.json().responseId], ['closed', null]);
    const board = (await t.app.inject({ url: `/api/alerts/${alertId}/board` })).json();
    assert.deepEqual([board.totals.safe, board.totals.needHelp, board.totals.noAnswer], [1, 1, 2]);
  });

  test('an entry outside the jurisdiction answers as absent, and the refusal is audited', async () => {
    const entry = await entryOf(id(3));
    const res = await outcome(entry.id, { outcome: 'reached_safe' }, t.as('consular_officer'));
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'call_list.not_found');
    const denied = await t.database.db
      .selectFrom('audit_log')
      .select('person_ids')
      .where('action', '=', 'calls.outcome')
      .where('outcome', '=', 'denied')
      .execute();
    assert.ok(denied.some((a) => JSON.parse(a.person_ids).includes(id(3))));
    const bad = await outcome(entry.id, { outcome: 'maybe' });
    assert.equal(bad.statusCode, 400);
    const unknown = await outcome('01900000-0000-7000-8000-000000000000', { outcome: 'no_answer' });
    assert.equal(unknown.json().code, 'call_list.not_found');
  });
});
