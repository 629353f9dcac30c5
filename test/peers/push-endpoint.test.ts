// The push endpoint's checks are what make the Web Push channel's tests meaningful, so each one is
// shown to refuse a request that breaks it.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { describe, test } from 'node:test';
import webpush from 'web-push';
import { LOOPBACK_CA, type PushSubscriptionJson, startPushEndpoint } from './push-endpoint.ts';

const VAPID = { ...webpush.generateVAPIDKeys(), subject: 'mailto:alerts@embassy.example' };

function post(url: string, headers: Record<string, string | number>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, ca: LOOPBACK_CA }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function details(subscription: PushSubscriptionJson, vapid = VAPID) {
  const built = webpush.generateRequestDetails(subscription, 'hello', {
    vapidDetails: vapid,
    TTL: 60,
    contentEncoding: 'aes128gcm',
  });
  const headers: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(built.headers)) headers[name] = value as string | number;
  return { headers, body: built.body ?? Buffer.alloc(0) };
}

describe('push endpoint peer', () => {
  test('accepts a well-formed push and decrypts it', async (t) => {
    const endpoint = await startPushEndpoint();
    t.after(() => endpoint.close());
    const subscription = endpoint.subscribe();
    const { headers, body } = details(subscription);
    assert.equal(await post(subscription.endpoint, headers, body), 201);
    assert.equal(endpoint.received[0]?.payload, 'hello');
  });

  test('refuses pushes that break a rule of the protocol', async (t) => {
    const endpoint = await startPushEndpoint();
    t.after(() => endpoint.close());
    const subscription = endpoint.subscribe();
    const other = webpush.generateVAPIDKeys();
    const cases: [
      string,
      (h: Record<string, string | number>, b: Buffer) => [Record<string, string | number>, Buffer],
      number,
    ][] = [
      ['no authorization', (h, b) => [{ ...h, Authorization: '' }, b], 401],
      [
        'JWT signed by another key than k',
        (h, b) => {
          const forged = details(subscription, { ...VAPID, ...other }).headers.Authorization as string;
          const token = /t=([^,]+)/.exec(forged)?.[1];
          return [{ ...h, Authorization: `vapid t=${token}, k=${VAPID.publicKey}` }, b];
        },
        401,
      ],
      ['no TTL', (h, b) => [Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'TTL')), b], 400],
      ['other content encoding', (h, b) => [{ ...h, 'Content-Encoding': 'aesgcm' }, b], 400],
      [
        'corrupted ciphertext',
        (h, b) => {
          const copy = Buffer.from(b);
          copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
          return [h, copy];
        },
        400,
      ],
    ];
    for (const [name, alter, status] of cases) {
      const base = details(subscription);
      const [headers, body] = alter(base.headers, base.body);
      assert.equal(await post(subscription.endpoint, headers, body), status, name);
    }
    assert.equal(endpoint.received.length, 0);
    assert.deepEqual(
      endpoint.refused.map((r) => r.reason),
      [
        'no vapid authorization',
        'JWT signature does not verify',
        'missing or bad TTL',
        'content encoding not aes128gcm',
        'payload does not decrypt',
      ],
    );
  });

  test('checks the JWT audience against its own origin', async (t) => {
    const endpoint = await startPushEndpoint();
    t.after(() => endpoint.close());
    const subscription = endpoint.subscribe();
    const elsewhere = { ...subscription, endpoint: subscription.endpoint.replace('127.0.0.1', 'localhost') };
    const { headers, body } = details(elsewhere);
    assert.equal(await post(subscription.endpoint, headers, body), 401);
    assert.deepEqual(endpoint.refused, [{ status: 401, reason: 'JWT audience is not this origin' }]);
  });
});
