import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { startSmppPeer } from '../../../test/peers/smpp-server.ts';
import { startSmtpPeer } from '../../../test/peers/smtp-server.ts';
import { createSmtpChannel } from '../../channels/email-smtp.ts';
import { createSmppChannel, type SmppChannelConfig } from '../../channels/sms-smpp.ts';
import type { ConfiguredChannels } from './delivery.channels.ts';
import type { ChannelLimits, DeliverySettings } from './delivery.settings.ts';
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
import { DeliveryWorker, type WorkerEvent } from './delivery.worker.ts';

let database: TestDatabase;
let author: string;
const base = testSettings();

before(async () => {
  database = await openTestDatabase();
  author = await seedAuthor(database.db);
});
after(async () => {
  await database?.drop();
});

function closer(t: { after: (fn: () => Promise<void>) => void }) {
  const stack: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    for (const close of stack.reverse()) await close();
  });
  return (close: () => Promise<unknown>) => stack.push(close);
}

function run(
  onClose: ReturnType<typeof closer>,
  channels: ConfiguredChannels,
  over: Partial<DeliverySettings> = {},
  onEvent?: (event: WorkerEvent) => void,
) {
  const worker = new DeliveryWorker({
    database,
    settings: { ...base, ...over },
    channels,
    replySecret: base.replyTokenSecret!,
    ...(onEvent ? { onEvent } : {}),
  });
  worker.start();
  onClose(async () => {
    await worker.close();
    await Promise.allSettled(Object.values(channels).map((c) => c.close()));
  });
  return worker;
}

const smpp = (port: number, over: Partial<SmppChannelConfig> = {}) =>
  createSmppChannel({
    host: '127.0.0.1',
    port,
    systemId: 'haven',
    password: 'secret',
    sourceAddr: 'EMBASSY',
    throttleBackoffMs: 10,
    ...over,
  });
const settled = (alertId: string) => eventually(() => allSettled(database.db, alertId), 10_000, 'settled');
const phone = (n: number) => ({ kind: 'phone' as const, value: `+9715003${String(n).padStart(5, '0')}` });
const row = async (alertId: string, personId: string, channel: string) =>
  (await deliveriesOf(database.db, alertId)).find((r) => r.person_id === personId && r.channel === channel);

describe('dead letters, each with its reason', () => {
  test('a rejected number and a message too long are dead with their reasons, and fall back', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    const mail = await startSmtpPeer();
    onClose(() => peer.close());
    onClose(() => mail.close());
    peer.rejectDestination('971500300001');
    const ids = await seedPeople(database.db, [
      { contacts: [phone(1), { kind: 'email', value: 'one@mail.test' }] },
      { contacts: [phone(2)] },
    ]);
    const rejected = await seedIssuedAlert(database.db, { author, recipients: [ids[0]!] });
    const tooLong = await seedIssuedAlert(database.db, {
      author,
      recipients: [ids[0]!],
      infos: [{ language: 'en', headline: 'Long', smsText: 'Evacuate now. '.repeat(8) }],
    });
    for (const alertId of [rejected, tooLong]) await enqueue(database.db, alertId, base);
    run(
      onClose,
      {
        sms: smpp(peer.port),
        email: createSmtpChannel({ host: '127.0.0.1', port: mail.port, from: 'a@embassy.test' }),
      },
      {
        smsMaxSegments: 1,
      },
    );
    await settled(rejected);
    await settled(tooLong);
    assert.deepEqual(
      [(await row(rejected, ids[0]!, 'sms'))?.state, (await row(rejected, ids[0]!, 'sms'))?.code],
      ['dead', 'sms.rejected_number'],
    );
    const long = await row(tooLong, ids[0]!, 'sms');
    assert.deepEqual(
      [long?.state, long?.code, long?.detail],
      ['dead', 'message.too_long', '2 GSM-7 segments, limit 1'],
    );
    assert.equal(peer.submits.length, 0, 'nothing too long reaches the SMS centre');
    assert.equal((await row(rejected, ids[0]!, 'email'))?.state, 'sent');
    assert.equal((await row(tooLong, ids[0]!, 'email'))?.state, 'sent');
    assert.equal(mail.messages.length, 2);
  });

  test('a provider that keeps throttling: dead after the last attempt, with the reason; consent withdrawn: dead too', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    onClose(() => peer.close());
    const ids = await seedPeople(database.db, [{ contacts: [phone(3)] }, { contacts: [phone(4)] }]);
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
    await enqueue(database.db, alertId, base);
    // The second person withdraws consent to the number after the alert was issued.
    await database.db.updateTable('contacts').set({ consent: 0 }).where('person_id', '=', ids[1]!).execute();
    peer.failNext(1000);
    run(onClose, { sms: smpp(peer.port) }, { retry: { ...base.retry, maxAttempts: 3 } });
    await settled(alertId);
    const throttled = await row(alertId, ids[0]!, 'sms');
    assert.deepEqual([throttled?.state, throttled?.code, throttled?.attempts], ['dead', 'sms.throttled', 3]);
    assert.match(throttled?.detail ?? '', /gave up after 3 attempts/);
    assert.equal(peer.counts.submits, 3, 'three attempts, then no more');
    const withdrawn = await row(alertId, ids[1]!, 'sms');
    assert.deepEqual([withdrawn?.state, withdrawn?.code], ['dead', 'contact.missing']);
  });

  test('a channel the deployment did not configure is skipped with its outcome, and the next one is tried', async (t) => {
    const onClose = closer(t);
    const mail = await startSmtpPeer();
    onClose(() => mail.close());
    const ids = await seedPeople(database.db, [
      { contacts: [phone(5), { kind: 'email', value: 'five@mail.test' }] },
      { contacts: [phone(6)] },
    ]);
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
    await enqueue(database.db, alertId, base);
    run(onClose, {
      email: createSmtpChannel({ host: '127.0.0.1', port: mail.port, from: 'a@embassy.test' }),
    });
    await eventually(async () => (await deliveriesOf(database.db, alertId)).length === 3, 5000, 'fallback');
    await settled(alertId);
    assert.equal((await row(alertId, ids[0]!, 'sms'))?.code, 'channel.not_configured');
    assert.equal((await row(alertId, ids[0]!, 'email'))?.state, 'sent');
    const only = await row(alertId, ids[1]!, 'sms');
    assert.deepEqual([only?.state, only?.code], ['dead', 'channel.not_configured']);
  });

  test('what is left of a cancelled alert is not sent, and does not fall back', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    onClose(() => peer.close());
    const ids = await seedPeople(database.db, [
      { contacts: [phone(7), { kind: 'email', value: 'seven@mail.test' }] },
    ]);
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
    await enqueue(database.db, alertId, base);
    await database.db.updateTable('alerts').set({ state: 'cancelled' }).where('id', '=', alertId).execute();
    run(onClose, { sms: smpp(peer.port) });
    await settled(alertId);
    const rows = await deliveriesOf(database.db, alertId);
    assert.deepEqual(
      rows.map((r) => [r.channel, r.state, r.code]),
      [['sms', 'dead', 'alert.cancelled']],
    );
    assert.equal(peer.counts.submits, 0);
  });
});

describe('levels and priority', () => {
  test('at level 4 every channel goes out at once, none as a fallback', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    const mail = await startSmtpPeer();
    onClose(() => peer.close());
    onClose(() => mail.close());
    const ids = await seedPeople(database.db, [
      { contacts: [phone(8), { kind: 'email', value: 'eight@mail.test' }] },
    ]);
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids, level: 4 });
    await enqueue(database.db, alertId, base);
    run(onClose, {
      sms: smpp(peer.port),
      email: createSmtpChannel({ host: '127.0.0.1', port: mail.port, from: 'a@embassy.test' }),
    });
    await settled(alertId);
    const rows = await deliveriesOf(database.db, alertId);
    assert.deepEqual(rows.map((r) => [r.channel, r.state, r.fallback_from]).sort(), [
      ['email', 'sent', null],
      ['sms', 'sent', null],
    ]);
  });

  test('a drill never delays a real alert: queued together, every real message goes first', async (t) => {
    const onClose = closer(t);
    const peer = await startSmppPeer();
    onClose(() => peer.close());
    const drillPeople = await seedPeople(
      database.db,
      Array.from({ length: 6 }, (_, i) => ({ contacts: [phone(100 + i)] })),
    );
    const realPeople = await seedPeople(
      database.db,
      Array.from({ length: 6 }, (_, i) => ({ contacts: [phone(200 + i)] })),
    );
    const info = (smsText: string) => [{ language: 'en', headline: smsText, smsText }];
    const drill = await seedIssuedAlert(database.db, {
      author,
      recipients: drillPeople,
      status: 'Exercise',
      level: 4,
      infos: info('EXERCISE'),
    });
    const minor = await seedIssuedAlert(database.db, {
      author,
      recipients: realPeople.slice(0, 3),
      level: 1,
      infos: info('MINOR'),
    });
    const major = await seedIssuedAlert(database.db, {
      author,
      recipients: realPeople.slice(3),
      level: 2,
      infos: info('MAJOR'),
    });
    // Queued oldest first: the drill, then the minor real alert, then the major one.
    for (const alertId of [drill, minor, major]) await enqueue(database.db, alertId, base);
    const limits = { ...base.limits, sms: { ratePerSecond: null, burst: 1, concurrency: 1 } };
    run(onClose, { sms: smpp(peer.port) }, { limits });
    for (const alertId of [drill, minor, major]) await settled(alertId);
    const order = peer.submits.map((s) => s.text.split('\n')[0]);
    assert.deepEqual(order, [
      ...Array(3).fill('MAJOR'),
      ...Array(3).fill('MINOR'),
      ...Array(6).fill('EXERCISE'),
    ]);
  });
});

/** Drains an alert to `people` phones under the SMS `limits`, over a loopback SMPP peer; answers each claim's size. */
async function drainClaims(
  t: { after: (fn: () => Promise<void>) => void },
  p: { people: number; firstPhone: number; limits: ChannelLimits; latencyMs?: number; window?: number },
) {
  const onClose = closer(t);
  const peer = await startSmppPeer(p.latencyMs !== undefined ? { latencyMs: p.latencyMs } : {});
  onClose(() => peer.close());
  const ids = await seedPeople(
    database.db,
    Array.from({ length: p.people }, (_, i) => ({ contacts: [phone(p.firstPhone + i)] })),
  );
  const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
  await enqueue(database.db, alertId, base);
  const claims: number[] = [];
  const limits = { ...base.limits, sms: p.limits };
  const over = p.window !== undefined ? { window: p.window } : {};
  run(onClose, { sms: smpp(peer.port, over) }, { limits }, (event) => {
    if (event.type === 'claimed') claims.push(event.count);
  });
  await settled(alertId);
  return { claims, peer };
}

describe('rate and concurrency limits', () => {
  test('never more claimed than the bucket holds, never more in flight than the concurrency', async (t) => {
    const { claims, peer } = await drainClaims(t, {
      people: 24,
      firstPhone: 300,
      limits: { ratePerSecond: 40, burst: 6, concurrency: 3 },
      latencyMs: 15,
      window: 10,
    });
    assert.equal(
      claims.reduce((a, b) => a + b, 0),
      24,
    );
    assert.ok(
      claims.every((n) => n <= 3),
      `claims ${claims.join(',')}`,
    );
    assert.equal(peer.maxOutstanding, 3, 'the concurrency is used, and not exceeded');
    assert.equal(peer.submits.length, 24);
  });

  test('the token bucket caps a claim at the tokens available', async (t) => {
    const { claims } = await drainClaims(t, {
      people: 20,
      firstPhone: 400,
      limits: { ratePerSecond: 50, burst: 5, concurrency: 100 },
    });
    assert.equal(claims[0], 5, 'the first claim takes the full burst');
    assert.ok(
      claims.every((n) => n <= 5),
      `claims ${claims.join(',')}`,
    );
    assert.ok(claims.length >= 4, 'twenty messages at five per burst need four claims at least');
    assert.equal(
      claims.reduce((a, b) => a + b, 0),
      20,
    );
  });

  test('under a rate limit a lane claims a tenth of a second of tokens at a time, not each as it drips in', async (t) => {
    const { claims, peer } = await drainClaims(t, {
      people: 60,
      firstPhone: 500,
      limits: { ratePerSecond: 50, burst: 20, concurrency: 100 },
    });
    assert.equal(claims[0], 20, 'the first claim takes the full burst');
    // 50 a second for a tenth of a second: 5 tokens. Only the last claim may find fewer rows left.
    assert.ok(
      claims.slice(0, -1).every((n) => n >= 5 && n <= 20),
      `claims ${claims.join(',')}`,
    );
    assert.equal(
      claims.reduce((a, b) => a + b, 0),
      60,
    );
    assert.equal(peer.submits.length, 60);
  });
});
