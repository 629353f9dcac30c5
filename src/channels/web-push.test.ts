import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LOOPBACK_CA, type PushEndpoint, startPushEndpoint } from '../../test/peers/push-endpoint.ts';
import type { Channel, OutboundMessage } from './channel.ts';
import {
  createWebPushChannel,
  generateVapidKeys,
  isPublicHttpsEndpoint,
  MAX_PUSH_PAYLOAD_BYTES,
  pushPayload,
  type WebPushChannelConfig,
} from './web-push.ts';

const VAPID = { ...generateVapidKeys(), subject: 'mailto:alerts@embassy.example' };

async function setup(
  t: { after: (fn: () => Promise<void>) => void },
  config: Partial<WebPushChannelConfig> = {},
): Promise<{ endpoint: PushEndpoint; channel: Channel }> {
  const endpoint = await startPushEndpoint();
  const channel = createWebPushChannel({
    vapid: VAPID,
    ttlSeconds: 3600,
    ca: LOOPBACK_CA,
    allowEndpoint: (url) => url.protocol === 'https:' && url.hostname === '127.0.0.1',
    timeoutMs: 1000,
    ...config,
  });
  t.after(async () => {
    await channel.close();
    await endpoint.close();
  });
  return { endpoint, channel };
}

function alert(to: unknown, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    deliveryId: 'dlv-push-1',
    to: JSON.stringify(to),
    subject: 'Niveau 3',
    text: 'Restez à l’abri. ابقوا في أماكنكم.',
    metadata: { alertId: 'a-1', level: '3' },
    ...overrides,
  };
}

describe('Web Push channel', () => {
  test('generates a VAPID key pair: a P-256 public point and a 32-byte private key', () => {
    const keys = generateVapidKeys();
    assert.equal(Buffer.from(keys.publicKey, 'base64url').length, 65);
    assert.equal(Buffer.from(keys.privateKey, 'base64url').length, 32);
    assert.notEqual(keys.publicKey, generateVapidKeys().publicKey);
  });

  test('delivers an aes128gcm payload with a verified VAPID JWT, TTL and urgency', async (t) => {
    const { endpoint, channel } = await setup(t);
    const subscription = endpoint.subscribe({ applicationServerKey: VAPID.publicKey });
    const message = alert(subscription);
    const result = await channel.send(message);
    assert.equal(result.status, 'sent');
    assert.ok(result.status === 'sent' && result.providerId?.startsWith(`${endpoint.origin}/message/`));
    assert.deepEqual(endpoint.refused, []);
    const [push] = endpoint.received;
    assert.ok(push);
    assert.equal(push.payload, pushPayload(message));
    assert.deepEqual(JSON.parse(push.payload), {
      id: 'dlv-push-1',
      title: 'Niveau 3',
      body: 'Restez à l’abri. ابقوا في أماكنكم.',
      data: { alertId: 'a-1', level: '3' },
    });
    assert.equal(push.ttl, 3600);
    assert.equal(push.urgency, 'high');
    assert.equal(push.vapidKey, VAPID.publicKey);
    assert.equal(push.vapidSubject, 'mailto:alerts@embassy.example');
  });

  test('an expired subscription (410) or an unknown one (404) is gone', async (t) => {
    const { endpoint, channel } = await setup(t);
    const expired = endpoint.subscribe();
    endpoint.markGone(expired);
    assert.deepEqual(await channel.send(alert(expired)), { status: 'gone', code: 'push.gone' });
    const unknown = { ...endpoint.subscribe(), endpoint: `${endpoint.origin}/push/never-issued` };
    assert.deepEqual(await channel.send(alert(unknown)), { status: 'gone', code: 'push.gone' });
    assert.deepEqual(
      endpoint.refused.map((r) => r.status),
      [410, 404],
    );
  });

  test('429 answers retry with the Retry-After delay; 5xx answers retry', async (t) => {
    const { endpoint, channel } = await setup(t);
    const subscription = endpoint.subscribe();
    endpoint.respondNext(429, { 'Retry-After': '7' });
    assert.deepEqual(await channel.send(alert(subscription)), {
      status: 'retry',
      code: 'push.throttled',
      retryAfterMs: 7000,
      detail: 'HTTP 429',
    });
    endpoint.respondNext(503);
    assert.deepEqual(await channel.send(alert(subscription)), {
      status: 'retry',
      code: 'push.unavailable',
      detail: 'HTTP 503',
    });
    assert.equal((await channel.send(alert(subscription))).status, 'sent');
  });

  test('413 from the service and an oversized payload fail as message.too_long', async (t) => {
    const { endpoint, channel } = await setup(t);
    const subscription = endpoint.subscribe();
    endpoint.respondNext(413);
    const answered = await channel.send(alert(subscription));
    assert.equal(answered.status === 'failed' && answered.code, 'message.too_long');
    const big = alert(subscription, { text: 'x'.repeat(MAX_PUSH_PAYLOAD_BYTES) });
    const local = await channel.send(big);
    assert.equal(local.status === 'failed' && local.code, 'message.too_long');
    assert.equal(endpoint.received.length, 0);
    const fits = alert(subscription, { text: '' });
    const room = MAX_PUSH_PAYLOAD_BYTES - Buffer.byteLength(pushPayload(fits));
    const largest = await channel.send(alert(subscription, { text: 'x'.repeat(room) }));
    assert.equal(largest.status, 'sent', JSON.stringify(endpoint.refused));
  });

  test('a push signed with another VAPID key than the subscription was made for is rejected', async (t) => {
    const { endpoint, channel } = await setup(t);
    const subscription = endpoint.subscribe({ applicationServerKey: generateVapidKeys().publicKey });
    const result = await channel.send(alert(subscription));
    assert.deepEqual(result, { status: 'failed', code: 'push.rejected', detail: 'HTTP 403' });
    assert.deepEqual(endpoint.refused, [
      { status: 403, reason: 'VAPID key does not match the subscription' },
    ]);
  });

  test('a push service that never answers costs one timeout and answers retry', async (t) => {
    const { endpoint, channel } = await setup(t, { timeoutMs: 200 });
    const subscription = endpoint.subscribe();
    endpoint.stallNext();
    assert.deepEqual(await channel.send(alert(subscription)), { status: 'retry', code: 'push.timeout' });
    assert.equal((await channel.send(alert(subscription))).status, 'sent');
  });

  test('a push service that cannot be reached answers retry', async (t) => {
    const { endpoint, channel } = await setup(t);
    const subscription = endpoint.subscribe();
    await endpoint.close();
    const result = await channel.send(alert(subscription));
    assert.equal(result.status === 'retry' && result.code, 'push.unavailable');
  });

  test('malformed subscriptions and endpoints outside the allowed set never leave', async (t) => {
    const { endpoint, channel } = await setup(t);
    for (const to of ['not json', '{"endpoint":"https://push.example/x"}', '[]']) {
      const result = await channel.send({ deliveryId: 'd', to, text: 'x' });
      assert.equal(result.status === 'failed' && result.code, 'push.invalid_subscription');
    }
    const strict = createWebPushChannel({ vapid: VAPID, ca: LOOPBACK_CA });
    t.after(() => strict.close());
    const loopback = await strict.send(alert(endpoint.subscribe()));
    assert.deepEqual(loopback, {
      status: 'failed',
      code: 'push.invalid_subscription',
      detail: 'endpoint not allowed',
    });
    assert.equal(endpoint.received.length + endpoint.refused.length, 0);
  });

  test('the default endpoint policy allows public https hosts only', () => {
    const allowed = [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/x',
      'https://8.8.8.8/x',
    ];
    const refused = [
      'http://fcm.googleapis.com/x',
      'https://localhost/x',
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://172.20.0.1/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest',
      'https://[::1]/x',
      'https://[fd00::1]/x',
    ];
    for (const url of allowed) assert.equal(isPublicHttpsEndpoint(new URL(url)), true, url);
    for (const url of refused) assert.equal(isPublicHttpsEndpoint(new URL(url)), false, url);
  });
});
