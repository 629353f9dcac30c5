import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ReplyWorld, registerPerson, startReplyWorld, type WorldPerson } from './reply-world.ts';

// Officers record an answer a person gave by phone, on the person's record; whoever may see a person's
// safety reads the history. Both are within the viewer's scope and audited.

let w: ReplyWorld;
let alertId: string;
let ae: WorldPerson;
let hk: WorldPerson;

before(async () => {
  w = await startReplyWorld();
  ae = await registerPerson(w.t, { phone: '+971500000401', language: 'en' });
  hk = await registerPerson(w.t, { phone: '+85291230401', language: 'en', country: 'HK' });
  alertId = await w.issueAndDeliver([ae]);
});
after(async () => {
  await w?.close();
});

const record = (
  personId: string,
  payload: object,
  role: Parameters<ReplyWorld['t']['as']>[0] = 'consular_officer',
) =>
  w.t.anonymous({
    method: 'POST',
    url: `/api/persons/${personId}/responses`,
    payload,
    headers: w.t.as(role),
  });
const history = (personId: string, role: Parameters<ReplyWorld['t']['as']>[0]) =>
  w.t.anonymous({ url: `/api/persons/${personId}/responses`, headers: w.t.as(role) });

describe('an answer taken by phone', () => {
  test('is recorded against the latest alert sent to the person, by the officer, and audited', async () => {
    const res = await record(ae.id, { answer: 'safe' });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.response.alertId, alertId);
    assert.equal(body.response.channel, 'officer');
    assert.equal(body.response.recordedBy, w.t.fixtures.users.consular_officer.id);
    assert.equal(body.helpRequestId, null);
    const audit = await w.t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'responses.record')
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.person_ids), [ae.id]);
  });

  test('"need help" opens a help request; alertId null records an answer to no alert', async () => {
    const res = await record(ae.id, { answer: 'need_help', alertId: null });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().response.alertId, null);
    const helpId = res.json().helpRequestId as string;
    assert.ok(helpId);
    const help = await w.t.database.db
      .selectFrom('help_requests')
      .select(['channel', 'alert_id', 'person_id'])
      .where('id', '=', helpId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(help, { channel: 'officer', alert_id: null, person_id: ae.id });
  });

  test('bad input is refused with a code', async () => {
    const cases: [object, number, string][] = [
      [{ answer: 'maybe' }, 400, 'request.invalid'],
      [{}, 400, 'request.invalid'],
      [{ answer: 'safe', alertId: 'not-an-id' }, 400, 'request.invalid'],
      [{ answer: 'safe', alertId: '01900000-0000-7000-8000-000000000000' }, 422, 'response.alert_not_found'],
      [{ answer: 'safe', extra: 1 }, 400, 'request.invalid'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await record(ae.id, payload);
      assert.equal(res.statusCode, status, JSON.stringify(payload));
      assert.equal(res.json().code, code, JSON.stringify(payload));
    }
  });

  test('a person outside the officer’s jurisdiction looks like no person at all, and the refusal is audited', async () => {
    const res = await record(hk.id, { answer: 'safe' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'person.not_found');
    const denied = await w.t.database.db
      .selectFrom('audit_log')
      .select(['outcome', 'person_ids'])
      .where('action', '=', 'responses.record')
      .where('outcome', '=', 'denied')
      .execute();
    assert.equal(denied.length, 1);
    assert.equal(
      (await record(hk.id, { answer: 'safe' }, 'crisis_manager')).statusCode,
      201,
      'headquarters may',
    );
  });
});

describe('the history of answers', () => {
  test('newest first, every channel, for those who may see the person; the read is audited', async () => {
    await w.text(ae.phone, 'SAFE');
    const deadline = Date.now() + 5000;
    let items: { channel: string; answer: string }[] = [];
    while (Date.now() < deadline) {
      const res = await history(ae.id, 'consular_officer');
      assert.equal(res.statusCode, 200, res.body);
      items = res.json().items;
      if (items.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(
      items.map((i) => [i.channel, i.answer]),
      [
        ['sms', 'safe'],
        ['officer', 'need_help'],
        ['officer', 'safe'],
      ],
    );
    const reads = await w.t.database.db
      .selectFrom('audit_log')
      .select('person_ids')
      .where('action', '=', 'responses.read')
      .execute();
    assert.ok(reads.length >= 1);
    assert.equal((await history(hk.id, 'consular_officer')).statusCode, 404, 'outside the jurisdiction');
    assert.equal((await history(ae.id, 'partner_caseworker')).statusCode, 404, 'no agreement, no consent');
    assert.equal((await history(ae.id, 'analyst')).statusCode, 403);
  });
});
