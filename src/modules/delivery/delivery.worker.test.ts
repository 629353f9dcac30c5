import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { LOOPBACK_CA, startPushEndpoint } from '../../../test/peers/push-endpoint.ts';
import { type ReceivedSubmit, startSmppPeer } from '../../../test/peers/smpp-server.ts';
import { startSmsGateway } from '../../../test/peers/sms-gateway.ts';
import { startSmtpPeer } from '../../../test/peers/smtp-server.ts';
import { startWebhookReceiver } from '../../../test/peers/webhook-receiver.ts';
import { createSmtpChannel } from '../../channels/email-smtp.ts';
import { createHttpSmsChannel, twilioPreset } from '../../channels/sms-http.ts';
import { createSmppChannel } from '../../channels/sms-smpp.ts';
import { createWebPushChannel, generateVapidKeys } from '../../channels/web-push.ts';
import { createWebhookChannel } from '../../channels/webhook.ts';
import { verifyReplyToken } from '../../domain/delivery/reply-token.ts';
import type { ConfiguredChannels } from './delivery.channels.ts';
import type { DeliverySettings } from './delivery.settings.ts';
import {
  allSettled,
  deliveriesOf,
  enqueue,
  eventually,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from './delivery.test-kit.ts';
import { DeliveryWorker } from './delivery.worker.ts';

let database: TestDatabase;
let author: string;
const base = testSettings();
const secret = base.replyTokenSecret!;

before(async () => {
  database = await openTestDatabase();
  author = await seedAuthor(database.db);
});
after(async () => {
  await database?.drop();
});

type Closer = { after: (fn: () => Promise<void>) => void };

/** Things to close after a test, last opened first: the worker and its channels before their peers. */
function closer(t: Closer) {
  const stack: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    for (const close of stack.reverse()) await close();
  });
  return (close: () => Promise<unknown>) => stack.push(close);
}

function startDeliveryWorker(
  onClose: ReturnType<typeof closer>,
  channels: ConfiguredChannels,
  over: Partial<DeliverySettings> = {},
) {
  const worker = new DeliveryWorker({
    database,
    settings: { ...base, ...over },
    channels,
    replySecret: secret,
  });
  worker.start();
  onClose(async () => {
    await worker.close();
    await Promise.allSettled(Object.values(channels).map((c) => c.close()));
  });
  return worker;
}

/** The messages an SMPP peer received, reassembled from their segments, by destination number. */
function messagesByNumber(
  submits: ReceivedSubmit[],
): Map<string, { text: string; dataCoding: number; ids: string[] }> {
  const parts = new Map<string, ReceivedSubmit[]>();
  for (const s of submits)
    parts.set(`+${s.destinationAddr}`, [...(parts.get(`+${s.destinationAddr}`) ?? []), s]);
  const out = new Map<string, { text: string; dataCoding: number; ids: string[] }>();
  for (const [number, list] of parts) {
    list.sort((a, b) => (a.udh[0]?.[4] ?? 0) - (b.udh[0]?.[4] ?? 0));
    out.set(number, {
      text: list.map((s) => s.text).join(''),
      dataCoding: list[0]!.dataCoding,
      ids: list.map((s) => s.messageId),
    });
  }
  return out;
}

const settled = (alertId: string) =>
  eventually(() => allSettled(database.db, alertId), 10_000, 'deliveries settled');

const TAGALOG = {
  language: 'fil',
  headline: 'Babala',
  smsText: 'Babala mula sa embahada sa Parañaque: manatili sa loob. Sumagot ng LIGTAS.',
};
const ARABIC = { language: 'ar', headline: 'تنبيه', smsText: 'تنبيه من السفارة: ابقوا في منازلكم.' };

describe('SMS over SMPP, end to end', () => {
  test('each recipient gets their language and their own reply link; receipts mark delivered or failed, and a failure falls back', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    const mail = await startSmtpPeer();
    onClose(() => peer.close());
    onClose(() => mail.close());
    const ids = await seedPeople(database.db, [
      { contacts: [{ kind: 'phone', value: '+971500000001' }] },
      { contacts: [{ kind: 'phone', value: '+971500000002' }] },
      {
        contacts: [
          { kind: 'phone', value: '+971500000003' },
          { kind: 'email', value: 'third@mail.test' },
        ],
      },
    ]);
    const alertId = await seedIssuedAlert(database.db, {
      author,
      recipients: ids,
      infos: [TAGALOG, ARABIC],
      languageOf: (i) => (i === 1 ? 'ar' : 'fil'),
    });
    await enqueue(database.db, alertId, base);
    startDeliveryWorker(onClose, {
      sms: createSmppChannel({
        host: '127.0.0.1',
        port: peer.port,
        systemId: 'haven',
        password: 'secret',
        sourceAddr: 'EMBASSY',
        reconnectBaseMs: 50,
      }),
      email: createSmtpChannel({ host: '127.0.0.1', port: mail.port, from: 'Embassy <alerts@embassy.test>' }),
    });
    await settled(alertId);
    const byNumber = messagesByNumber(peer.submits);
    assert.equal(byNumber.size, 3);
    const first = byNumber.get('+971500000001')!;
    const second = byNumber.get('+971500000002')!;
    assert.ok(first.text.startsWith(`${TAGALOG.smsText}\n`));
    assert.ok(second.text.startsWith(`${ARABIC.smsText}\n`));
    assert.equal(first.dataCoding, 0, 'Tagalog with ñ stays GSM-7');
    assert.equal(second.dataCoding, 8, 'Arabic goes as UCS-2');
    for (const [index, message] of [first, second].entries()) {
      const link = /\nhttps:\/\/haven\.test\/r\/([A-Za-z0-9_-]+)$/.exec(message.text);
      assert.ok(link, 'the message ends with the reply link');
      const check = verifyReplyToken(secret, link[1]!, new Date());
      assert.ok(check.ok);
      assert.deepEqual([check.claims.alertId, check.claims.personId], [alertId, ids[index]]);
    }
    const rows = await deliveriesOf(database.db, alertId);
    assert.ok(rows.every((r) => r.state === 'sent' && r.provider_id !== null && r.attempts === 1));
    assert.deepEqual(
      rows.map((r) => r.segments),
      [2, 2, 2],
      'each message with its link takes two segments',
    );
    assert.equal(peer.submits.length, 6);

    const third = byNumber.get('+971500000003')!;
    // A concatenated message is delivered when every segment is; one undelivered segment fails it.
    for (const id of first.ids) await peer.sendReceipt(id, { stat: 'DELIVRD' });
    await peer.sendReceipt(third.ids[0]!, { stat: 'DELIVRD' });
    await peer.sendReceipt(third.ids[1]!, { stat: 'UNDELIV' });
    await eventually(
      async () => (await deliveriesOf(database.db, alertId)).length === 4,
      5000,
      'fallback queued',
    );
    await settled(alertId);
    await mail.waitFor(() => mail.messages.length === 1);
    const after = await deliveriesOf(database.db, alertId);
    const state = (personId: string, channel: string) =>
      after.find((r) => r.person_id === personId && r.channel === channel);
    assert.equal(state(ids[0]!, 'sms')?.state, 'delivered');
    assert.equal(state(ids[1]!, 'sms')?.state, 'sent');
    assert.deepEqual(
      [state(ids[2]!, 'sms')?.state, state(ids[2]!, 'sms')?.code],
      ['failed', 'sms.undeliverable'],
    );
    assert.deepEqual(
      [state(ids[2]!, 'email')?.state, state(ids[2]!, 'email')?.fallback_from],
      ['sent', 'sms'],
    );
    assert.deepEqual(mail.messages[0]?.rcptTo, ['third@mail.test']);
  });

  test('throttling and a dropped connection are retried; nobody is lost', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    onClose(() => peer.close());
    const numbers = Array.from({ length: 12 }, (_, i) => `+97150010${String(i).padStart(4, '0')}`);
    const ids = await seedPeople(
      database.db,
      numbers.map((value) => ({ contacts: [{ kind: 'phone', value }] })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
    await enqueue(database.db, alertId, base);
    peer.failNext(3); // ESME_RTHROTTLED
    peer.dropAfterSubmits(6);
    startDeliveryWorker(onClose, {
      sms: createSmppChannel({
        host: '127.0.0.1',
        port: peer.port,
        systemId: 'haven',
        password: 'secret',
        sourceAddr: 'EMBASSY',
        reconnectBaseMs: 30,
        throttleBackoffMs: 20,
      }),
    });
    await settled(alertId);
    const rows = await deliveriesOf(database.db, alertId);
    assert.ok(rows.every((r) => r.state === 'sent'));
    assert.ok(
      rows.some((r) => r.attempts > 1),
      'some messages needed another attempt',
    );
    const received = peer.submits.map((s) => `+${s.destinationAddr}`);
    assert.deepEqual([...new Set(received)].sort(), numbers, 'nobody is lost');
    // A submit the centre took but whose answer died with the connection cannot be told from one it never
    // got; it is sent again. Only those, at most a window's worth, can arrive twice.
    assert.ok(received.length - numbers.length <= 10, `${received.length - numbers.length} duplicates`);
    assert.ok(peer.counts.connections >= 2, 'the worker reconnected');
  });
});

describe('e-mail over SMTP', () => {
  test('text and HTML reach the mailbox; a bounced address is dead with its reason', async (t) => {
    const onClose = closer(t);
    const mail = await startSmtpPeer();
    onClose(() => mail.close());
    mail.rejectRecipient('gone@mail.test');
    const ids = await seedPeople(database.db, [
      { contacts: [{ kind: 'email', value: 'reader@mail.test' }] },
      { contacts: [{ kind: 'email', value: 'gone@mail.test' }] },
    ]);
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids, infos: [ARABIC] });
    await enqueue(database.db, alertId, base);
    startDeliveryWorker(onClose, {
      email: createSmtpChannel({ host: '127.0.0.1', port: mail.port, from: 'Embassy <alerts@embassy.test>' }),
    });
    await settled(alertId);
    const rows = await deliveriesOf(database.db, alertId);
    const [ok, bounced] = ids.map((id) => rows.find((r) => r.person_id === id)!);
    assert.equal(ok?.state, 'sent');
    assert.deepEqual([bounced?.state, bounced?.code], ['dead', 'smtp.bounced']);
    assert.equal(mail.messages.length, 1);
    const message = mail.messages[0]!;
    assert.equal(message.subject, ARABIC.headline);
    assert.match(message.text ?? '', /https:\/\/haven\.test\/r\//);
    assert.match(message.html ?? '', /dir="rtl"/);
    assert.equal(message.headers['x-haven-delivery-id'], String(ok?.id));
  });
});

describe('Web Push', () => {
  test('an encrypted push with VAPID reaches the subscription; an expired one is removed and the person falls back', async (t) => {
    const onClose = closer(t);
    const endpoint = await startPushEndpoint();
    const mail = await startSmtpPeer();
    onClose(() => endpoint.close());
    onClose(() => mail.close());
    const vapid = { ...generateVapidKeys(), subject: 'mailto:alerts@embassy.test' };
    const live = endpoint.subscribe({ applicationServerKey: vapid.publicKey });
    const expired = endpoint.subscribe({ applicationServerKey: vapid.publicKey });
    endpoint.markGone(expired);
    const ids = await seedPeople(database.db, [
      { contacts: [{ kind: 'push', value: JSON.stringify(live) }] },
      {
        contacts: [
          { kind: 'push', value: JSON.stringify(expired) },
          { kind: 'email', value: 'backup@mail.test' },
        ],
      },
    ]);
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids, infos: [TAGALOG] });
    await enqueue(database.db, alertId, base);
    startDeliveryWorker(onClose, {
      push: createWebPushChannel({
        vapid,
        ca: LOOPBACK_CA,
        allowEndpoint: (url) => url.hostname === '127.0.0.1',
      }),
      email: createSmtpChannel({ host: '127.0.0.1', port: mail.port, from: 'alerts@embassy.test' }),
    });
    await eventually(async () => (await deliveriesOf(database.db, alertId)).length === 3, 5000, 'fallback');
    await settled(alertId);
    assert.equal(endpoint.received.length, 1);
    const payload = JSON.parse(endpoint.received[0]!.payload);
    assert.equal(payload.title, 'Babala');
    assert.equal(payload.body, TAGALOG.smsText);
    assert.match(payload.data.url, /^https:\/\/haven\.test\/r\//);
    const rows = await deliveriesOf(database.db, alertId);
    const gone = rows.find((r) => r.person_id === ids[1] && r.channel === 'push');
    assert.deepEqual([gone?.state, gone?.code], ['dead', 'push.gone']);
    assert.equal(rows.find((r) => r.person_id === ids[1] && r.channel === 'email')?.state, 'sent');
    const contacts = await database.db
      .selectFrom('contacts')
      .select('kind')
      .where('person_id', '=', ids[1]!)
      .execute();
    assert.deepEqual(
      contacts.map((c) => c.kind),
      ['email'],
      'the expired subscription is removed',
    );
  });
});

describe('partner webhooks', () => {
  test('a signed POST per partner; a partner that never answers is retried, then reached', async (t) => {
    const onClose = closer(t);
    const secretText = 'partner-secret-0123456789';
    const receiver = await startWebhookReceiver(secretText);
    onClose(() => receiver.close());
    receiver.stallNext();
    receiver.respondNext(503);
    const webhooks = [
      { name: 'ngo', url: `${receiver.url}/haven`, secret: secretText, language: 'ar', countries: [] },
    ];
    const alertId = await seedIssuedAlert(database.db, { author, recipients: [], infos: [TAGALOG, ARABIC] });
    await enqueue(database.db, alertId, { ...base, webhooks });
    startDeliveryWorker(
      onClose,
      { webhook: createWebhookChannel({ secretFor: () => secretText, timeoutMs: 200 }) },
      { webhooks },
    );
    await settled(alertId);
    const [row] = await deliveriesOf(database.db, alertId);
    assert.deepEqual([row?.state, row?.partner], ['sent', 'ngo']);
    assert.ok(row!.attempts >= 3, 'the silent and the failing answer were each retried');
    assert.equal(receiver.received.length, row!.attempts, 'each attempt reached the partner');
    assert.ok(receiver.received.every((r) => r.signatureValid && r.path === '/haven'));
    assert.ok(receiver.received.every((r) => r.headers['x-haven-delivery-id'] === String(row?.id)));
    const body = JSON.parse(receiver.received.at(-1)!.body);
    assert.equal(body.subject, ARABIC.headline);
    assert.equal(body.metadata.severity, 'Severe');
  });
});

describe('SMS over an HTTP gateway (Twilio-shaped)', () => {
  test('5xx, 429 and time-outs are retried; a rejected number is dead and falls back to e-mail', async (t) => {
    const onClose = closer(t);
    const gateway = await startSmsGateway();
    const mail = await startSmtpPeer();
    onClose(() => gateway.close());
    onClose(() => mail.close());
    gateway.respondNext(500, { code: 20500, message: 'Internal error' });
    gateway.respondNext(429, { code: 20429, message: 'Too many requests' }, { 'Retry-After': '0' });
    gateway.stallNext();
    gateway.rejectNumber('+971500200009', 21614);
    const numbers = Array.from({ length: 10 }, (_, i) => `+97150020000${i}`);
    const ids = await seedPeople(
      database.db,
      numbers.map((value, i) => ({
        contacts: [
          { kind: 'phone' as const, value },
          ...(i === 9 ? [{ kind: 'email' as const, value: 'nine@mail.test' }] : []),
        ],
      })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
    await enqueue(database.db, alertId, base);
    startDeliveryWorker(onClose, {
      sms: createHttpSmsChannel({
        ...twilioPreset({
          accountSid: gateway.accountSid,
          authToken: gateway.authToken,
          from: '+15005550006',
          baseUrl: gateway.url,
        }),
        timeoutMs: 300,
      }),
      email: createSmtpChannel({ host: '127.0.0.1', port: mail.port, from: 'alerts@embassy.test' }),
    });
    await eventually(async () => (await deliveriesOf(database.db, alertId)).length === 11, 5000, 'fallback');
    await settled(alertId);
    const accepted = gateway.accepted.map((a) => a.to);
    assert.deepEqual([...new Set(accepted)].sort(), numbers.slice(0, 9), 'every reachable number accepted');
    const rows = await deliveriesOf(database.db, alertId);
    const sms = rows.filter((r) => r.channel === 'sms');
    assert.equal(sms.filter((r) => r.state === 'sent').length, 9);
    assert.ok(sms.every((r) => r.state !== 'sent' || r.provider_id?.startsWith('SM')));
    const rejected = sms.find((r) => r.person_id === ids[9]);
    assert.deepEqual([rejected?.state, rejected?.code], ['dead', 'sms.rejected_number']);
    assert.equal(rows.find((r) => r.channel === 'email')?.state, 'sent');
    assert.equal(mail.messages[0]?.rcptTo[0], 'nine@mail.test');
  });
});
