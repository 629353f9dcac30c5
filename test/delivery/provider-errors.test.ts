// Fault test (b): providers that throttle, fail with 5xx or never answer. Every failure costs exactly one
// more attempt, every message is accepted exactly once, and nothing is lost. The worker runs as
// `haven start --role worker` runs it (startWorker, channels from the environment's settings).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import smpp from 'smpp';
import { loadConfig } from '../../src/config.ts';
import { deliverySettingsFrom } from '../../src/modules/delivery/delivery.settings.ts';
import {
  allSettled,
  deliveriesOf,
  enqueue,
  eventually,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from '../../src/modules/delivery/delivery.test-kit.ts';
import { startWorker } from '../../src/worker.ts';
import { openTestDatabase, type TestDatabase, testMasterKey } from '../helpers/database.ts';
import { startSmppPeer } from '../peers/smpp-server.ts';
import { startSmsGateway } from '../peers/sms-gateway.ts';
import { startWebhookReceiver } from '../peers/webhook-receiver.ts';

let database: TestDatabase;
let author: string;

before(async () => {
  database = await openTestDatabase();
  author = await seedAuthor(database.db);
});
after(async () => {
  await database?.drop();
});

const COMMON = {
  HAVEN_PUBLIC_URL: 'https://haven.test',
  HAVEN_DELIVERY_POLL_MS: '20',
  HAVEN_DELIVERY_RETRY_BASE_MS: '10',
  HAVEN_DELIVERY_RETRY_MAX_MS: '50',
  HAVEN_DELIVERY_MAX_ATTEMPTS: '30',
  HAVEN_SMS_RATE: '0',
  HAVEN_WEBHOOK_RATE: '0',
};

async function run(env: Record<string, string>, alertId: string) {
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent' }),
    database: database.config,
    masterKey: testMasterKey,
  };
  const worker = await startWorker(config, {
    database,
    settings: deliverySettingsFrom({ ...COMMON, ...env }),
  });
  try {
    await eventually(() => allSettled(database.db, alertId), 30_000, 'all settled');
  } finally {
    await worker.close();
  }
  return deliveriesOf(database.db, alertId);
}

const numbers = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

test('an HTTP gateway answering 500, 429 and nothing at all: retried, none lost', async () => {
  const gateway = await startSmsGateway();
  try {
    const phones = numbers('+97150400', 100);
    const ids = await seedPeople(
      database.db,
      phones.map((value) => ({ contacts: [{ kind: 'phone', value }] })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
    await enqueue(database.db, alertId, testSettings());
    let failures = 0;
    for (let i = 0; i < 15; i++) {
      gateway.respondNext(500, { code: 20500, message: 'Internal Server Error' });
      gateway.respondNext(429, { code: 20429, message: 'Too Many Requests' }, { 'Retry-After': '0' });
      gateway.stallNext();
      gateway.delayNext(0);
      failures += 3;
    }
    const rows = await run(
      {
        HAVEN_SMS_HTTP_PRESET: 'twilio',
        HAVEN_SMS_HTTP_URL: gateway.url,
        HAVEN_SMS_HTTP_ACCOUNT: gateway.accountSid,
        HAVEN_SMS_HTTP_TOKEN: gateway.authToken,
        HAVEN_SMS_HTTP_FROM: '+15005550006',
        HAVEN_SMS_HTTP_TIMEOUT_MS: '500',
      },
      alertId,
    );
    assert.ok(rows.every((r) => r.state === 'sent'));
    const accepted = gateway.accepted.map((a) => a.to);
    assert.deepEqual([...new Set(accepted)].sort(), phones, 'none lost');
    const extra = rows.reduce((sum, r) => sum + r.attempts, 0) - (phones.length + failures);
    assert.ok(extra >= 0, 'every failure cost one more attempt');
    // Normally 0: only a request the gateway answered after our deadline could be accepted twice.
    assert.ok(
      accepted.length - phones.length <= extra,
      'a number was accepted twice only after a late answer',
    );
    assert.equal(gateway.requests.length, phones.length + failures + extra);
  } finally {
    await gateway.close();
  }
});

test('an SMS centre answering throttled, queue full and system error: retried, none lost', async () => {
  const peer = await startSmppPeer();
  try {
    const phones = numbers('+97150500', 100);
    const ids = await seedPeople(
      database.db,
      phones.map((value) => ({ contacts: [{ kind: 'phone', value }] })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
    await enqueue(database.db, alertId, testSettings());
    peer.failNext(10, smpp.errors.ESME_RTHROTTLED);
    peer.failNext(10, smpp.errors.ESME_RMSGQFUL);
    peer.failNext(10, smpp.errors.ESME_RSYSERR);
    const rows = await run(
      {
        HAVEN_SMPP_HOST: '127.0.0.1',
        HAVEN_SMPP_PORT: String(peer.port),
        HAVEN_SMPP_SYSTEM_ID: 'haven',
        HAVEN_SMPP_PASSWORD: 'secret',
        HAVEN_SMPP_SOURCE_ADDR: 'EMBASSY',
      },
      alertId,
    );
    assert.ok(rows.every((r) => r.state === 'sent'));
    assert.deepEqual(peer.submits.map((s) => `+${s.destinationAddr}`).sort(), phones);
    assert.equal(
      rows.reduce((sum, r) => sum + r.attempts, 0),
      phones.length + 30,
    );
  } finally {
    await peer.close();
  }
});

test('a partner that answers too slowly, then not at all, then fails: retried until reached, with one delivery id', async () => {
  const secret = 'partner-secret-0123456789';
  const receiver = await startWebhookReceiver(secret);
  try {
    receiver.delayNext(800);
    receiver.stallNext();
    receiver.respondNext(502);
    const webhooks = [{ name: 'ngo', url: `${receiver.url}/alerts`, secret, countries: [] }];
    const alertId = await seedIssuedAlert(database.db, { author, recipients: [] });
    await enqueue(database.db, alertId, {
      ...testSettings(),
      webhooks: [{ ...webhooks[0]!, language: null }],
    });
    const rows = await run(
      { HAVEN_WEBHOOK_TARGETS: JSON.stringify(webhooks), HAVEN_WEBHOOK_TIMEOUT_MS: '200' },
      alertId,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.state, 'sent');
    assert.ok(rows[0]!.attempts >= 4, 'slow, silent and failing answers were each retried');
    assert.ok(receiver.received.length >= 4);
    const ids = new Set(receiver.received.map((r) => r.headers['x-haven-delivery-id']));
    assert.deepEqual([...ids], [String(rows[0]!.id)], 'the partner can tell a retry from a new message');
    assert.ok(receiver.received.every((r) => r.signatureValid));
  } finally {
    await receiver.close();
  }
});
