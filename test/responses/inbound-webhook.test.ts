import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { signWebhook } from '../../src/channels/webhook.ts';
import {
  HAVEN_NUMBER,
  INBOUND_SECRET,
  type ReplyWorld,
  registerPerson,
  startReplyWorld,
  type WorldPerson,
} from './reply-world.ts';

// SMS replies through an HTTP gateway's inbound webhook, posted over a real socket to the app on
// loopback, signed as Haven signs its own webhooks. Unsigned, stale, wrongly signed or malformed posts
// are refused with a code and store nothing. Officers list what nobody could read.

let w: ReplyWorld;
let base = '';
let alertId: string;
let es: WorldPerson;
let fil: WorldPerson;
let vague: WorldPerson;
let hk: WorldPerson;

before(async () => {
  w = await startReplyWorld();
  es = await registerPerson(w.t, { phone: '+971500000301', language: 'es' });
  fil = await registerPerson(w.t, { phone: '+971500000302', language: 'fil' });
  vague = await registerPerson(w.t, { phone: '+971500000303', language: 'en' });
  hk = await registerPerson(w.t, { phone: '+85291230302', language: 'en', country: 'HK' });
  alertId = await w.issueAndDeliver([es, fil, vague]);
  await w.t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(w.t.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await w?.close();
});

const now = () => Math.floor(Date.now() / 1000);

async function send(
  body: string,
  options: { type?: string; secret?: string; timestamp?: number; signature?: string | null } = {},
) {
  const timestamp = options.timestamp ?? now();
  const headers: Record<string, string> = { 'content-type': options.type ?? 'application/json' };
  if (options.signature !== null) {
    headers['x-haven-timestamp'] = String(timestamp);
    headers['x-haven-signature'] =
      options.signature ?? signWebhook(options.secret ?? INBOUND_SECRET, timestamp, body);
  }
  const res = await fetch(`${base}/api/inbound/sms`, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const stored = async () =>
  Number(
    (
      await w.t.database.db
        .selectFrom('inbound_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const responsesOf = (personId: string) =>
  w.t.database.db.selectFrom('responses').selectAll().where('person_id', '=', personId).execute();

describe('the inbound webhook', () => {
  test('a signed JSON message is read: Spanish "ayuda" records need_help for the alert and opens a help request', async () => {
    const body = JSON.stringify({
      from: es.phone,
      to: HAVEN_NUMBER,
      text: 'Ayuda por favor, no tenemos agua',
      id: 'gw-1',
    });
    const res = await send(body);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.outcome, 'recorded');
    assert.equal(res.json.duplicate, false);
    const [response] = await responsesOf(es.id);
    assert.equal(response?.answer, 'need_help');
    assert.equal(response?.alert_id, alertId);
    assert.equal(response?.language, 'es');
    const help = await w.t.database.db
      .selectFrom('help_requests')
      .select(['alert_id', 'channel'])
      .where('person_id', '=', es.id)
      .execute();
    assert.deepEqual(help, [{ alert_id: alertId, channel: 'sms' }]);
  });

  test("a gateway's form post (From, To, Body, MessageSid) works too, and a retried one is kept once", async () => {
    const form = new URLSearchParams({
      From: fil.phone,
      To: HAVEN_NUMBER,
      Body: 'LIGTAS',
      MessageSid: 'SM42',
    });
    const first = await send(form.toString(), { type: 'application/x-www-form-urlencoded' });
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.equal(first.json.outcome, 'recorded');
    const retry = await send(form.toString(), { type: 'application/x-www-form-urlencoded' });
    assert.equal(retry.status, 200);
    assert.equal(retry.json.duplicate, true);
    assert.equal(retry.json.id, first.json.id);
    assert.equal((await responsesOf(fil.id)).length, 1, 'the answer is not doubled');
  });

  test('unsigned, wrongly signed, tampered, stale or malformed signatures: refused with a code, nothing stored', async () => {
    const body = JSON.stringify({ from: vague.phone, text: 'safe', id: 'gw-bad' });
    const before = await stored();
    const cases: [string, Awaited<ReturnType<typeof send>>, number, string][] = [
      ['unsigned', await send(body, { signature: null }), 401, 'webhook.signature_missing'],
      [
        'other secret',
        await send(body, { secret: 'not-the-inbound-secret' }),
        401,
        'webhook.signature_invalid',
      ],
      [
        'tampered body',
        await send(body.replace('safe', 'help'), { signature: signWebhook(INBOUND_SECRET, now(), body) }),
        401,
        'webhook.signature_invalid',
      ],
      ['stale', await send(body, { timestamp: now() - 3600 }), 401, 'webhook.signature_stale'],
      ['malformed signature', await send(body, { signature: 'v1=zz' }), 400, 'webhook.signature_malformed'],
    ];
    for (const [what, res, status, code] of cases) {
      assert.equal(res.status, status, what);
      assert.equal(res.json.code, code, what);
    }
    assert.equal(await stored(), before);
    assert.deepEqual(await responsesOf(vague.id), []);
  });

  test('a signed body that is not a message: 400 with the fields named; other media types: 415', async () => {
    const before = await stored();
    const notJson = await send('{"from": ');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json.code, 'inbound.malformed');
    const noSender = await send(JSON.stringify({ text: 'safe' }));
    assert.equal(noSender.status, 400);
    assert.deepEqual(
      (noSender.json.errors as { field: string }[]).map((e) => e.field),
      ['from'],
    );
    const array = await send('[1,2,3]');
    assert.equal(array.status, 400);
    const text = await send('safe', { type: 'text/plain' });
    assert.equal(text.status, 415);
    const huge = await send(JSON.stringify({ from: vague.phone, text: 'x'.repeat(20_000) }));
    assert.equal(huge.status, 413);
    assert.equal(await stored(), before);
  });
});

describe('the officers’ list of messages nobody could read', () => {
  test('unrecognised texts are listed, decrypted, within the officer’s jurisdiction, and the read is audited', async () => {
    const sent = [
      [vague.phone, 'where is the bus leaving from'],
      [hk.phone, 'what should we do now'],
      ['+971509876543', 'who is this'],
    ] as const;
    for (const [from, text] of sent) {
      const res = await send(JSON.stringify({ from, text }));
      assert.equal(res.status, 200);
    }
    const list = async (headers: Record<string, string>, query = '') => {
      const res = await w.t.anonymous({ url: `/api/inbound/messages${query}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: { text: string; sender: string; personId: string | null }[] };
    };
    const hq = await list(w.t.as('hq_admin'));
    assert.deepEqual(
      hq.items.map((i) => i.text),
      ['what should we do now', 'where is the bus leaving from'],
    );
    assert.equal(hq.items[1]?.sender, vague.phone);
    const post = await list(w.t.as('consular_officer'));
    assert.deepEqual(
      post.items.map((i) => i.text),
      ['where is the bus leaving from'],
      'the Emirates post sees its own jurisdiction only',
    );
    const unknown = await list(w.t.as('hq_admin'), '?outcome=inbound.unknown_number');
    assert.deepEqual(
      unknown.items.map((i) => i.text),
      ['who is this'],
    );
    assert.deepEqual((await list(w.t.as('consular_officer'), '?outcome=inbound.unknown_number')).items, []);
    const paged = await w.t.anonymous({ url: '/api/inbound/messages?limit=1', headers: w.t.as('hq_admin') });
    const next = paged.json().nextCursor as string;
    assert.ok(next);
    const second = await w.t.anonymous({
      url: `/api/inbound/messages?limit=1&cursor=${next}`,
      headers: w.t.as('hq_admin'),
    });
    assert.equal(second.json().items[0].text, 'where is the bus leaving from');
    const bad = await w.t.anonymous({
      url: '/api/inbound/messages?cursor=nope',
      headers: w.t.as('hq_admin'),
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'inbound.cursor_invalid');
    const audit = await w.t.database.db
      .selectFrom('audit_log')
      .select(['actor_role', 'person_ids'])
      .where('action', '=', 'inbound.list')
      .execute();
    assert.ok(audit.some((a) => a.actor_role === 'consular_officer' && a.person_ids.includes(vague.id)));
    const partner = await w.t.anonymous({
      url: '/api/inbound/messages',
      headers: w.t.as('partner_caseworker'),
    });
    assert.equal(partner.statusCode, 403);
  });
});
