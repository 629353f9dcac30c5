import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { type SmsGateway, startSmsGateway } from '../../../test/peers/sms-gateway.ts';
import { type SmtpPeer, startSmtpPeer } from '../../../test/peers/smtp-server.ts';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../../channels/webhook.ts';
import { loadConfig } from '../../config.ts';
import { alertBody } from '../alerts/alerts.test-kit.ts';
import { createConfiguredChannels } from './delivery.channels.ts';
import type { DeliverySettings } from './delivery.settings.ts';
import { eventually } from './delivery.test-kit.ts';
import { DeliveryWorker } from './delivery.worker.ts';

// Delivery receipts from an HTTP SMS gateway, end to end: the Twilio-shaped loopback gateway accepts the
// messages of an issued alert (asked for a status callback), then posts each message's fate, signed as
// Twilio signs it, to the receipt endpoint.

const RECEIPT_SECRET = 'generic-receipt-secret-0123';
let t: TestApp;
let gateway: SmsGateway;
let mail: SmtpPeer;
let settings: DeliverySettings;
let worker: DeliveryWorker;
let alertId: string;
const phones = ['+971502220001', '+971502220002', '+971502220003'];

const deliveryOf = async (phone: string) => {
  const sid = gateway.accepted.find((m) => m.to === phone)?.id;
  assert.ok(sid, `the gateway accepted the message to ${phone}`);
  const row = await t.database.db
    .selectFrom('deliveries')
    .selectAll()
    .where('provider_id', '=', sid)
    .executeTakeFirstOrThrow();
  return { sid, row };
};

/** Posts what the gateway would post to the callback URL it was given (the app is reached in-process). */
const postCallback = (callback: { url: string; headers: Record<string, string>; body: string }) =>
  t.anonymous({
    method: 'POST',
    url: new URL(callback.url).pathname,
    headers: callback.headers,
    payload: callback.body,
  });

const postGeneric = (body: object, secret = RECEIPT_SECRET, at = Math.floor(Date.now() / 1000)) => {
  const raw = JSON.stringify(body);
  return t.anonymous({
    method: 'POST',
    url: '/api/delivery/receipts/generic',
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(at),
      [SIGNATURE_HEADER]: signWebhook(secret, at, raw),
    },
    payload: raw,
  });
};

before(async () => {
  gateway = await startSmsGateway();
  mail = await startSmtpPeer();
  const env = {
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_SMS_HTTP_PRESET: 'twilio',
    HAVEN_SMS_HTTP_URL: gateway.url,
    HAVEN_SMS_HTTP_ACCOUNT: gateway.accountSid,
    HAVEN_SMS_HTTP_TOKEN: gateway.authToken,
    HAVEN_SMS_HTTP_FROM: '+15005550006',
    HAVEN_SMS_HTTP_RECEIPT_SECRET: RECEIPT_SECRET,
    HAVEN_SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    HAVEN_SMTP_FROM: 'alerts@embassy.test',
    HAVEN_DELIVERY_POLL_MS: '20',
    HAVEN_DELIVERY_LEASE_MS: '900',
  };
  t = await buildTestApp(env);
  settings = loadConfig({ LOG_LEVEL: 'silent', ...env }).delivery;
  for (const [i, phone] of phones.entries()) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      payload: {
        givenNames: 'Synthetic Recipient',
        sex: 'female',
        languages: ['en'],
        location: { lat: 25.2, lon: 55.27, country: 'AE' },
        phones: [{ value: phone, consent: true }],
        emails: [{ value: `recipient${i}@mail.test`, consent: true }],
      },
    });
    assert.equal(res.statusCode, 201, res.body);
  }
  const drafted = await t.app.inject({
    method: 'POST',
    url: '/api/alerts',
    payload: alertBody({ countries: ['AE'] }),
  });
  alertId = drafted.json().id;
  const step = (name: string, headers?: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/alerts/${alertId}/${name}`,
      payload: {},
      ...(headers ? { headers } : {}),
    });
  assert.equal((await step('submit')).statusCode, 200);
  assert.equal((await step('approve', t.as('crisis_manager'))).statusCode, 200);
  assert.equal((await step('issue')).statusCode, 200);
  worker = new DeliveryWorker({
    database: t.database,
    settings,
    channels: createConfiguredChannels(settings, () => {}),
    replySecret: Buffer.alloc(32, 7),
  });
  worker.start();
  await eventually(async () => gateway.accepted.length === phones.length, 10_000, 'SMS accepted');
  await eventually(async () => {
    const rows = await t.database.db
      .selectFrom('deliveries')
      .select('state')
      .where('alert_id', '=', alertId)
      .where('channel', '=', 'sms')
      .execute();
    return rows.length === phones.length && rows.every((r) => r.state === 'sent');
  });
});

after(async () => {
  await worker?.close();
  await t?.close();
  await gateway?.close();
  await mail?.close();
});

describe('delivery receipts from an HTTP gateway', () => {
  test('the Twilio preset asks for status callbacks at the receipt endpoint', () => {
    for (const m of gateway.accepted)
      assert.equal(m.statusCallback, 'https://haven.test/api/delivery/receipts/twilio');
  });

  test('delivered marks the delivery delivered; the same receipt again changes nothing; a status on the way is ignored', async () => {
    const { sid } = await deliveryOf(phones[0]!);
    const sentOnTheWay = await postCallback(gateway.statusCallback(sid, 'sent'));
    assert.deepEqual(
      [sentOnTheWay.statusCode, sentOnTheWay.json()],
      [200, { result: 'ignored', status: 'sent' }],
    );
    const first = await postCallback(gateway.statusCallback(sid, 'delivered'));
    assert.deepEqual([first.statusCode, first.json()], [200, { result: 'applied', state: 'delivered' }]);
    const again = await postCallback(gateway.statusCallback(sid, 'delivered'));
    assert.deepEqual([again.statusCode, again.json()], [200, { result: 'duplicate', state: 'delivered' }]);
    const late = await postCallback(gateway.statusCallback(sid, 'undelivered', '30003'));
    assert.deepEqual(late.json(), { result: 'duplicate', state: 'delivered' }, 'a final state stays final');
    const { row } = await deliveryOf(phones[0]!);
    assert.equal(row.state, 'delivered');
    assert.ok(row.done_at);
  });

  test('undelivered marks it failed with the provider’s code, and the person is tried by e-mail, once', async () => {
    const { sid } = await deliveryOf(phones[1]!);
    const res = await postCallback(gateway.statusCallback(sid, 'undelivered', '30003'));
    assert.deepEqual(res.json(), { result: 'applied', state: 'failed' });
    await postCallback(gateway.statusCallback(sid, 'failed', '30003'));
    const { row } = await deliveryOf(phones[1]!);
    assert.deepEqual([row.state, row.code], ['failed', 'sms.provider.30003']);
    await mail.waitFor(() => mail.messages.length === 1);
    const fallback = await t.database.db
      .selectFrom('deliveries')
      .selectAll()
      .where('person_id', '=', row.person_id)
      .where('alert_id', '=', alertId)
      .where('channel', '=', 'email')
      .execute();
    assert.equal(fallback.length, 1);
    assert.equal(fallback[0]?.fallback_from, 'sms');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(mail.messages.length, 1);
    assert.deepEqual(mail.messages[0]?.rcptTo, ['recipient1@mail.test']);
  });

  test('unsigned, wrongly signed or tampered receipts are refused with 401 and change nothing', async () => {
    const { sid } = await deliveryOf(phones[2]!);
    const good = gateway.statusCallback(sid, 'delivered');
    const unsigned = await postCallback({
      ...good,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.deepEqual([unsigned.statusCode, unsigned.json().code], [401, 'receipt.unsigned']);
    const tampered = await postCallback({ ...good, body: good.body.replace('delivered', 'undelivered') });
    assert.deepEqual([tampered.statusCode, tampered.json().code], [401, 'receipt.signature_invalid']);
    const wrongKey = await postGeneric({ id: sid, status: 'delivered' }, 'another-secret-0123456789');
    assert.deepEqual([wrongKey.statusCode, wrongKey.json().code], [401, 'webhook.signature_invalid']);
    const stale = await postGeneric(
      { id: sid, status: 'delivered' },
      RECEIPT_SECRET,
      Math.floor(Date.now() / 1000) - 3600,
    );
    assert.deepEqual([stale.statusCode, stale.json().code], [401, 'webhook.signature_stale']);
    const genericUnsigned = await t.anonymous({
      method: 'POST',
      url: '/api/delivery/receipts/generic',
      payload: { id: sid, status: 'delivered' },
    });
    assert.deepEqual([genericUnsigned.statusCode, genericUnsigned.json().code], [401, 'receipt.unsigned']);
    const { row } = await deliveryOf(phones[2]!);
    assert.equal(row.state, 'sent');
    const unknownProvider = await postGeneric({ id: sid, status: 'delivered' });
    assert.equal(unknownProvider.statusCode, 200, 'the generic provider is configured');
    const nobody = await t.anonymous({ method: 'POST', url: '/api/delivery/receipts/smpp', payload: {} });
    assert.deepEqual([nobody.statusCode, nobody.json().code], [404, 'receipt.provider_unknown']);
    const malformed = await postGeneric({ status: 'delivered' });
    assert.deepEqual([malformed.statusCode, malformed.json().code], [400, 'receipt.malformed']);
  });

  test('a receipt for an id no sent message carries is held, coded, and applied once the message is recorded', async () => {
    const early = await postGeneric({ id: 'gw-late-commit', status: 'failed', code: 'E42' });
    assert.deepEqual(
      [early.statusCode, early.json()],
      [202, { result: 'held', code: 'receipt.unknown_message' }],
    );
    const twice = await postGeneric({ id: 'gw-late-commit', status: 'failed', code: 'E42' });
    assert.equal(twice.statusCode, 202);
    const held = await t.database.db.selectFrom('delivery_receipts').selectAll().execute();
    assert.deepEqual(
      held.map((h) => [h.provider_id, h.state, h.code]),
      [['gw-late-commit', 'failed', 'sms.provider.E42']],
    );
    // The message's `sent`, with the gateway's id, commits only now (a worker writing a batch late).
    const [person] = await t.database.db
      .selectFrom('persons')
      .select('id')
      .where('given_names', '=', 'Synthetic Recipient')
      .limit(1)
      .execute();
    const messageId = '01900000-0000-7000-8000-00000000d1d1';
    const now = new Date().toISOString();
    await t.database.db
      .insertInto('direct_messages')
      .values({
        id: messageId,
        person_id: person!.id,
        purpose: 'notice',
        subject_enc: 'Note',
        body_enc: 'A note',
        html_enc: null,
        channel: 'sms',
        priority: 100,
        expires_at: null,
        created_at: now,
      })
      .execute();
    await t.database.db
      .insertInto('deliveries')
      .values({
        alert_id: null,
        message_id: messageId,
        person_id: person!.id,
        channel: 'sms',
        state: 'sent',
        priority: 100,
        provider_id: 'gw-late-commit',
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
        sent_at: now,
      })
      .execute();
    await eventually(
      async () =>
        (
          await t.database.db
            .selectFrom('deliveries')
            .select('state')
            .where('provider_id', '=', 'gw-late-commit')
            .executeTakeFirstOrThrow()
        ).state === 'failed',
      5000,
      'held receipt applied',
    );
    assert.equal((await t.database.db.selectFrom('delivery_receipts').selectAll().execute()).length, 0);
    await eventually(
      async () =>
        (
          await t.database.db
            .selectFrom('deliveries')
            .select('channel')
            .where('message_id', '=', messageId)
            .execute()
        ).length === 2,
      5000,
      'the message falls back to e-mail',
    );
  });
});
