import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../src/modules/delivery/delivery.test-kit.ts';
import { type ReplyWorld, registerPerson, startReplyWorld, type WorldPerson } from './reply-world.ts';

// SMS replies end to end: an alert is issued through the API and sent over SMPP to a loopback SMS centre;
// people answer by text in their own language; the SMS centre delivers each reply to the worker's bind as
// a deliver_sm, and the answer appears as a response to the alert that person was sent.

let w: ReplyWorld;
let alertId: string;
const people: Record<string, WorldPerson> = {};
const SPEAKERS = {
  fil: { phone: '+971500000101', language: 'fil' },
  ar: { phone: '+971500000102', language: 'ar' },
  am: { phone: '+971500000103', language: 'am' },
  es: { phone: '+971500000104', language: 'es' },
  en: { phone: '+971500000105', language: 'en' },
  digits: { phone: '+971500000106', language: 'en' },
  helper: { phone: '+971500000107', language: 'fil' },
  flood: { phone: '+971500000108', language: 'en' },
  garbage: { phone: '+971500000109', language: 'en' },
} as const;

before(async () => {
  w = await startReplyWorld();
  for (const [key, p] of Object.entries(SPEAKERS)) people[key] = await registerPerson(w.t, p);
  alertId = await w.issueAndDeliver(Object.values(people));
});
after(async () => {
  await w?.close();
});

const inbound = (personId: string | null = null) => {
  let q = w.t.database.db.selectFrom('inbound_messages').selectAll().orderBy('received_at').orderBy('id');
  if (personId) q = q.where('person_id', '=', personId);
  return q.execute();
};
const responsesOf = (personId: string) =>
  w.t.database.db
    .selectFrom('responses')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();

async function replyAndWait(person: WorldPerson, text: string, count = 1) {
  const before = (await inbound(person.id)).length;
  await w.text(person.phone, text);
  await eventually(async () => (await inbound(person.id)).length >= before + count, 5000, `reply "${text}"`);
  return (await inbound(person.id)).slice(before);
}

describe('SMS replies over SMPP', () => {
  test('replies in Filipino, Arabic, Amharic, Spanish, English and by digit are recorded against the alert', async () => {
    const cases: [keyof typeof SPEAKERS, string, 'safe' | 'need_help', string | null][] = [
      ['fil', 'Ligtas po kami dito, salamat', 'safe', 'fil'],
      ['ar', 'نحن بخير والحمد لله', 'safe', 'ar'],
      ['am', 'ደህና ነን', 'safe', 'am'],
      ['es', 'Estamos bien, gracias!', 'safe', 'es'],
      ['en', "I'm SAFE.", 'safe', 'en'],
      ['digits', '1', 'safe', null],
    ];
    for (const [key, text, answer, language] of cases) {
      const person = people[key]!;
      const [message] = await replyAndWait(person, text);
      assert.equal(message?.outcome, 'recorded', `${key}: ${text}`);
      assert.equal(message?.alert_id, alertId);
      const [response] = await responsesOf(person.id);
      assert.ok(response, `${key}: a response`);
      assert.equal(response.alert_id, alertId);
      assert.equal(response.answer, answer, `${key}: ${text}`);
      assert.equal(response.channel, 'sms');
      assert.equal(response.language, language, `${key}: language`);
      assert.equal(message?.response_id, response.id);
    }
  });

  test('"need help" (by word or by digit 2) records need_help and opens one help request for the alert', async () => {
    const person = people.helper!;
    const [first] = await replyAndWait(person, 'TULONG po, wala kaming pagkain');
    assert.equal(first?.outcome, 'recorded');
    assert.ok(first?.help_request_id, 'a help request was opened');
    const [second] = await replyAndWait(person, '2');
    assert.equal(second?.outcome, 'recorded');
    assert.equal(second?.help_request_id, first.help_request_id, 'the open request is reused, not doubled');
    const requests = await w.t.database.db
      .selectFrom('help_requests')
      .selectAll()
      .where('person_id', '=', person.id)
      .execute();
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.alert_id, alertId);
    assert.equal(requests[0]!.type, 'other');
    assert.equal(requests[0]!.is_sos, 0);
    assert.equal(requests[0]!.channel, 'sms');
    const answers = (await responsesOf(person.id)).map((r) => r.answer);
    assert.deepEqual(answers, ['need_help', 'need_help']);
  });

  test('a number nobody registered is kept as inbound.unknown_number and records nothing', async () => {
    const before = (await inbound()).length;
    await w.text('+971509999999', 'safe');
    await eventually(async () => (await inbound()).length > before, 5000, 'kept');
    const kept = (await inbound()).at(-1)!;
    assert.equal(kept.outcome, 'inbound.unknown_number');
    assert.equal(kept.person_id, null);
    assert.equal(kept.response_id, null);
    assert.equal(kept.sender_enc, '+971509999999', 'decrypted on read');
  });

  test('a person who was sent no alert: the answer is still recorded, with no alert (inbound.no_alert)', async () => {
    const elsewhere = await registerPerson(w.t, { phone: '+85291230111', language: 'en', country: 'HK' });
    const [message] = await replyAndWait(elsewhere, 'safe');
    assert.equal(message?.outcome, 'inbound.no_alert');
    const [response] = await responsesOf(elsewhere.id);
    assert.equal(response?.alert_id, null);
    assert.equal(response?.answer, 'safe');
  });

  test('a flood from one number: every message is kept, only the first ones are read as answers', async () => {
    const person = people.flood!;
    for (let i = 0; i < 8; i++) await w.text(person.phone, i % 2 ? 'safe' : 'help');
    await eventually(async () => (await inbound(person.id)).length >= 8, 5000, 'all kept');
    const outcomes = (await inbound(person.id)).map((m) => m.outcome);
    assert.equal(outcomes.filter((o) => o === 'recorded').length, 5);
    assert.equal(outcomes.filter((o) => o === 'inbound.rate_limited').length, 3);
    assert.equal((await responsesOf(person.id)).length, 5);
  });

  test('garbage crashes nothing: it is kept as unrecognised, and the next reply is still read', async () => {
    const person = people.garbage!;
    const junk = ['', '   ', '\u0000\u0001\u0002', '??!!..', '🙂'.repeat(40), '\ud800 broken'];
    for (const text of junk) await w.text(person.phone, text);
    // Twelve concatenated parts, 1,800 characters: longer than anything an answer needs.
    await w.peer.sendInbound({
      from: person.phone,
      to: '+97145550000',
      parts: Array(12).fill('x'.repeat(150)),
    });
    await eventually(async () => (await inbound(person.id)).length >= junk.length + 1, 5000, 'junk kept');
    const kept = await inbound(person.id);
    assert.ok(
      kept.every((m) => m.outcome === 'inbound.unrecognised' || m.outcome === 'inbound.rate_limited'),
    );
    assert.ok(kept.every((m) => m.response_id === null));
    assert.ok(
      kept.every((m) => [...m.body_enc].length <= 1600),
      'long texts are cut to 1,600 characters',
    );
    assert.ok(
      kept.some((m) => m.body_enc === 'x'.repeat(1600)),
      'the long one was joined, then cut',
    );
    await w.t.database.db.deleteFrom('inbound_messages').where('person_id', '=', person.id).execute();
    const [after] = await replyAndWait(person, 'safe');
    assert.equal(after?.outcome, 'recorded');
  });

  test('the number and the text are encrypted at rest, and found again by their keyed hash', async () => {
    const raw = w.t.database.sqlite
      ? (w.t.database.sqlite
          .prepare('select sender_enc, body_enc, number_hash from inbound_messages')
          .all() as {
          sender_enc: string;
          body_enc: string;
          number_hash: string;
        }[])
      : (await w.t.database.pool!.query('select sender_enc, body_enc, number_hash from inbound_messages'))
          .rows;
    assert.ok(raw.length > 0);
    for (const row of raw) {
      assert.match(row.sender_enc, /^enc1:/);
      assert.match(row.body_enc, /^enc1:/);
      assert.match(row.number_hash, /^[0-9a-f]{64}$/);
      assert.ok(!row.number_hash.includes('97150'), 'the hash is not the number');
    }
  });
});
