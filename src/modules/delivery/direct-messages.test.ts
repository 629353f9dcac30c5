import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { LOOPBACK_CA, startPushEndpoint } from '../../../test/peers/push-endpoint.ts';
import { startSmppPeer } from '../../../test/peers/smpp-server.ts';
import { startSmtpPeer } from '../../../test/peers/smtp-server.ts';
import { createSmtpChannel } from '../../channels/email-smtp.ts';
import { createSmppChannel } from '../../channels/sms-smpp.ts';
import { createWebPushChannel, generateVapidKeys } from '../../channels/web-push.ts';
import { AppError } from '../../errors.ts';
import type { ConfiguredChannels } from './delivery.channels.ts';
import type { DeliverySettings } from './delivery.settings.ts';
import {
  enqueue,
  eventually,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from './delivery.test-kit.ts';
import { DeliveryWorker } from './delivery.worker.ts';
import { queueDirectMessage } from './direct-messages.ts';
import { removePushSubscription, savePushSubscription } from './push-subscriptions.ts';

let database: TestDatabase;
const base = testSettings();

before(async () => {
  database = await openTestDatabase();
});
after(async () => {
  await database?.drop();
});

type Closer = { after: (fn: () => Promise<void>) => void };

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
    replySecret: base.replyTokenSecret!,
  });
  worker.start();
  onClose(async () => {
    await worker.close();
    await Promise.allSettled(Object.values(channels).map((c) => c.close()));
  });
  return worker;
}

const smpp = (port: number) =>
  createSmppChannel({
    host: '127.0.0.1',
    port,
    systemId: 'haven',
    password: 'secret',
    sourceAddr: 'EMBASSY',
    reconnectBaseMs: 50,
  });
const smtp = (port: number) =>
  createSmtpChannel({ host: '127.0.0.1', port, from: 'Embassy <codes@embassy.test>' });

const rowsOf = (messageId: string) =>
  database.db
    .selectFrom('deliveries')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();

const settledMessage = (messageId: string) =>
  eventually(
    async () => {
      const rows = await rowsOf(messageId);
      return rows.length > 0 && rows.every((r) => r.state !== 'queued' && r.state !== 'sending');
    },
    10_000,
    'direct message settled',
  );

const CODE = {
  purpose: 'sign_in_code',
  subject: 'Your Haven code',
  text: 'Your Haven code is 482913. It expires in 10 minutes.',
} as const;

describe('direct messages', () => {
  test('a sign-in code reaches the phone once over SMPP; its text is encrypted at rest and the outbox row holds none of it', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    onClose(() => peer.close());
    const [person] = await seedPeople(database.db, [
      {
        contacts: [
          { kind: 'email', value: 'code@mail.test' },
          { kind: 'phone', value: '+971500007001' },
        ],
      },
    ]);
    const queued = await queueDirectMessage(
      database.db,
      { personId: person!, ...CODE, channel: 'sms', priority: 'urgent' },
      { settings: base },
    );
    assert.ok(queued.queued);
    assert.equal(queued.channel, 'sms', 'the channel asked for comes first');
    startDeliveryWorker(onClose, { sms: smpp(peer.port) });
    await settledMessage(queued.messageId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(peer.submits.length, 1, 'sent exactly once');
    assert.equal(peer.submits[0]!.destinationAddr, '971500007001');
    assert.equal(peer.submits[0]!.text, CODE.text, 'no alert header, no reply link');
    const [row] = await rowsOf(queued.messageId);
    assert.deepEqual(
      [row?.state, row?.channel, row?.alert_id, row?.person_id, row?.attempts, row?.segments],
      ['sent', 'sms', null, person, 1, 1],
    );
    assert.ok(row?.provider_id);
    // Read past the decrypting plugin: the stored columns are ciphertext.
    const { rows: raw } = await sql<{ subject_enc: string; body_enc: string }>`
      select subject_enc, body_enc from direct_messages where id = ${queued.messageId}`.execute(
      database.db.withoutPlugins(),
    );
    assert.ok(!raw[0]!.body_enc.includes('482913'));
    assert.ok(!raw[0]!.subject_enc.includes('Haven'));
  });

  test('an urgent message is claimed before every queued alert delivery', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    onClose(() => peer.close());
    const author = await seedAuthor(database.db);
    const people = await seedPeople(
      database.db,
      Array.from({ length: 30 }, (_, i) => ({
        contacts: [{ kind: 'phone' as const, value: `+9715000080${String(i).padStart(2, '0')}` }],
      })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: people.slice(1), level: 4 });
    await enqueue(database.db, alertId, base);
    const queued = await queueDirectMessage(
      database.db,
      { personId: people[0]!, ...CODE, priority: 'urgent' },
      { settings: base },
    );
    assert.ok(queued.queued);
    startDeliveryWorker(
      onClose,
      { sms: smpp(peer.port) },
      { limits: { ...base.limits, sms: { ratePerSecond: null, burst: 1, concurrency: 1 } } },
    );
    await peer.waitFor(() => peer.submits.length >= 30, 10_000);
    assert.equal(peer.submits[0]!.destinationAddr, '971500008000', 'the code went first');
    assert.equal(peer.submits.filter((s) => s.destinationAddr === '971500008000').length, 1);
  });

  test('a rejected number falls back to e-mail, which gets it once; a throttled one is retried', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    const mail = await startSmtpPeer();
    onClose(() => peer.close());
    onClose(() => mail.close());
    const [rejected, throttled] = await seedPeople(database.db, [
      {
        contacts: [
          { kind: 'phone', value: '+971500007002' },
          { kind: 'email', value: 'fallback@mail.test' },
        ],
      },
      {
        contacts: [
          { kind: 'phone', value: '+971500007003' },
          { kind: 'email', value: 'unused@mail.test' },
        ],
      },
    ]);
    peer.rejectDestination('971500007002');
    const first = await queueDirectMessage(
      database.db,
      { personId: rejected!, ...CODE, html: '<p>Your Haven code is <b>482913</b>.</p>', channel: 'sms' },
      { settings: base },
    );
    assert.ok(first.queued);
    startDeliveryWorker(onClose, { sms: smpp(peer.port), email: smtp(mail.port) });
    await eventually(async () => (await rowsOf(first.messageId)).length === 2, 5000, 'fallback queued');
    await settledMessage(first.messageId);
    peer.failNext(2); // ESME_RTHROTTLED, twice
    const second = await queueDirectMessage(
      database.db,
      { personId: throttled!, ...CODE, channel: 'sms' },
      { settings: base },
    );
    assert.ok(second.queued);
    await settledMessage(second.messageId);
    await mail.waitFor(() => mail.messages.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const rows = await rowsOf(first.messageId);
    assert.deepEqual(
      rows.map((r) => [r.channel, r.state, r.code, r.fallback_from]),
      [
        ['sms', 'dead', 'sms.rejected_number', null],
        ['email', 'sent', null, 'sms'],
      ],
    );
    assert.equal(mail.messages.length, 1, 'the fallback went out once');
    assert.deepEqual(mail.messages[0]!.rcptTo, ['fallback@mail.test']);
    assert.equal(mail.messages[0]!.subject, CODE.subject);
    assert.match(mail.messages[0]!.html ?? '', /<b>482913<\/b>/);
    const retried = await rowsOf(second.messageId);
    assert.deepEqual(
      retried.map((r) => [r.channel, r.state, r.attempts]),
      [['sms', 'sent', 3]],
    );
    assert.equal(peer.submits.filter((s) => s.destinationAddr === '971500007003').length, 1);
  });

  test('nobody to reach, a message past its time and bad input each get their code', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    onClose(() => peer.close());
    const [silent, late] = await seedPeople(database.db, [
      { contacts: [{ kind: 'phone', value: '+971500007004', consent: false }] },
      { contacts: [{ kind: 'phone', value: '+971500007005' }] },
    ]);
    assert.deepEqual(
      await queueDirectMessage(database.db, { personId: silent!, ...CODE }, { settings: base }),
      { queued: false, code: 'direct_message.unreachable' },
    );
    const expired = await queueDirectMessage(
      database.db,
      { personId: late!, ...CODE, expiresAt: new Date(Date.now() - 1000) },
      { settings: base },
    );
    assert.ok(expired.queued);
    startDeliveryWorker(onClose, { sms: smpp(peer.port) });
    await settledMessage(expired.messageId);
    const [row] = await rowsOf(expired.messageId);
    assert.deepEqual([row?.state, row?.code], ['dead', 'message.expired']);
    assert.equal(peer.submits.length, 0);
    await assert.rejects(
      queueDirectMessage(database.db, { personId: late!, ...CODE, text: ' ' }, { settings: base }),
      (err) =>
        err instanceof AppError && err.code === 'direct_message.invalid' && err.details?.field === 'text',
    );
  });

  test('inside the caller’s transaction, nothing is queued when it rolls back', async () => {
    const [person] = await seedPeople(database.db, [
      { contacts: [{ kind: 'phone', value: '+971500007006' }] },
    ]);
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        const queued = await queueDirectMessage(trx, { personId: person!, ...CODE }, { settings: base });
        assert.ok(queued.queued);
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    const left = await database.db
      .selectFrom('deliveries')
      .select('id')
      .where('person_id', '=', person!)
      .execute();
    assert.equal(left.length, 0);
  });
});

describe('push subscriptions', () => {
  test('saved per person with a unique endpoint, used by the push channel; an expired one is removed and the message falls back', async (t) => {
    const onClose = closer(t);
    const endpoint = await startPushEndpoint();
    const mail = await startSmtpPeer();
    onClose(() => endpoint.close());
    onClose(() => mail.close());
    const vapid = { ...generateVapidKeys(), subject: 'mailto:alerts@embassy.test' };
    const [first, second] = await seedPeople(database.db, [
      { contacts: [{ kind: 'email', value: 'first@mail.test' }] },
      { contacts: [{ kind: 'email', value: 'second@mail.test' }] },
    ]);
    const live = endpoint.subscribe({ applicationServerKey: vapid.publicKey });
    const expired = endpoint.subscribe({ applicationServerKey: vapid.publicKey });
    const pushContacts = (personId: string) =>
      database.db
        .selectFrom('contacts')
        .select(['id', 'value'])
        .where('person_id', '=', personId)
        .where('kind', '=', 'push')
        .execute();

    // Saving the same endpoint again keeps one subscription, with the newest keys.
    const saved = await savePushSubscription(database.db, first!, live);
    const again = await savePushSubscription(database.db, first!, live);
    assert.equal(again.id, saved.id);
    assert.equal((await pushContacts(first!)).length, 1);
    // The same browser signing in as someone else moves the subscription to them.
    await savePushSubscription(database.db, second!, live);
    assert.equal((await pushContacts(first!)).length, 0);
    assert.equal((await pushContacts(second!)).length, 1);
    assert.equal(await removePushSubscription(database.db, first!, live.endpoint), false);
    assert.equal(await removePushSubscription(database.db, second!, live.endpoint), true);
    await savePushSubscription(database.db, first!, live);
    await savePushSubscription(database.db, second!, expired);
    endpoint.markGone(expired);

    await assert.rejects(
      savePushSubscription(database.db, first!, { endpoint: 'http://push.example/x', keys: live.keys }),
      (err) => err instanceof AppError && err.code === 'push_subscription.invalid',
    );
    await assert.rejects(
      savePushSubscription(database.db, first!, {
        endpoint: live.endpoint,
        keys: { p256dh: 'abc', auth: 'x' },
      }),
      (err) => err instanceof AppError && err.code === 'push_subscription.invalid',
    );

    const note = {
      purpose: 'notice',
      subject: 'Boarding pass ready',
      text: 'Your boarding pass is ready.',
    } as const;
    const toFirst = await queueDirectMessage(database.db, { personId: first!, ...note }, { settings: base });
    const toSecond = await queueDirectMessage(
      database.db,
      { personId: second!, ...note },
      { settings: base },
    );
    assert.ok(toFirst.queued && toSecond.queued);
    assert.deepEqual([toFirst.channel, toSecond.channel], ['push', 'push'], 'push comes first in the order');
    startDeliveryWorker(onClose, {
      push: createWebPushChannel({
        vapid,
        ca: LOOPBACK_CA,
        allowEndpoint: (url) => url.hostname === '127.0.0.1',
      }),
      email: smtp(mail.port),
    });
    await eventually(async () => (await rowsOf(toSecond.messageId)).length === 2, 5000, 'fallback queued');
    await settledMessage(toFirst.messageId);
    await settledMessage(toSecond.messageId);
    await mail.waitFor(() => mail.messages.length === 1);
    assert.equal(endpoint.received.length, 1);
    const payload = JSON.parse(endpoint.received[0]!.payload);
    assert.deepEqual(
      [payload.title, payload.body, payload.data.purpose],
      [note.subject, note.text, 'notice'],
    );
    const gone = await rowsOf(toSecond.messageId);
    assert.deepEqual(
      gone.map((r) => [r.channel, r.state, r.code]),
      [
        ['push', 'dead', 'push.gone'],
        ['email', 'sent', null],
      ],
    );
    assert.equal((await pushContacts(second!)).length, 0, 'the expired subscription is removed');
    assert.equal((await pushContacts(first!)).length, 1);
    assert.deepEqual(mail.messages[0]!.rcptTo, ['second@mail.test']);
  });
});
