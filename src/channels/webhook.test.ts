import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/peers/webhook-receiver.ts';
import type { Channel, OutboundMessage } from './channel.ts';
import {
  createWebhookChannel,
  signWebhook,
  verifyWebhookSignature,
  type WebhookChannelConfig,
  webhookBody,
} from './webhook.ts';

const SECRET = 'whsec_partner_one_0123456789';

async function setup(
  t: { after: (fn: () => Promise<void>) => void },
  config: Partial<WebhookChannelConfig> = {},
  receiverSecret = SECRET,
): Promise<{ receiver: WebhookReceiver; channel: Channel; to: string }> {
  const receiver = await startWebhookReceiver(receiverSecret);
  const channel = createWebhookChannel({
    secretFor: (url) => (url.origin === receiver.url ? SECRET : undefined),
    timeoutMs: 1000,
    ...config,
  });
  t.after(async () => {
    await channel.close();
    await receiver.close();
  });
  return { receiver, channel, to: `${receiver.url}/haven/alerts` };
}

function alert(to: string): OutboundMessage {
  return {
    deliveryId: 'dlv-hook-1',
    to,
    subject: 'Level 3: shelter in place',
    text: 'Shelter in place in districts 4 and 5.',
    metadata: { alertId: 'a-9', level: '3' },
  };
}

describe('webhook channel', () => {
  test('POSTs the message as JSON, signed with the partner secret and timestamped', async (t) => {
    const { receiver, channel, to } = await setup(t);
    const message = alert(to);
    assert.deepEqual(await channel.send(message), { status: 'sent' });
    const [hook] = receiver.received;
    assert.ok(hook);
    assert.equal(hook.path, '/haven/alerts');
    assert.equal(hook.signatureValid, true);
    assert.equal(hook.headers['content-type'], 'application/json');
    assert.equal(hook.headers['x-haven-delivery-id'], 'dlv-hook-1');
    assert.equal(hook.body, webhookBody(message));
    assert.deepEqual(JSON.parse(hook.body), {
      id: 'dlv-hook-1',
      subject: 'Level 3: shelter in place',
      text: 'Shelter in place in districts 4 and 5.',
      html: null,
      metadata: { alertId: 'a-9', level: '3' },
    });
    const check = verifyWebhookSignature(
      SECRET,
      String(hook.headers['x-haven-timestamp']),
      hook.body,
      String(hook.headers['x-haven-signature']),
    );
    assert.deepEqual(check, { ok: true });
  });

  test('a partner that does not recognise the signature (401) fails as webhook.http_4xx', async (t) => {
    const { receiver, channel, to } = await setup(t, {}, 'another-secret');
    assert.deepEqual(await channel.send(alert(to)), {
      status: 'failed',
      code: 'webhook.http_4xx',
      detail: 'HTTP 401',
    });
    assert.equal(receiver.received[0]?.signatureValid, false);
  });

  test('a slow partner and a silent one each cost one timeout and answer retry webhook.timeout', async (t) => {
    const { receiver, channel, to } = await setup(t, { timeoutMs: 150 });
    receiver.delayNext(600);
    assert.deepEqual(await channel.send(alert(to)), { status: 'retry', code: 'webhook.timeout' });
    receiver.stallNext();
    assert.deepEqual(await channel.send(alert(to)), { status: 'retry', code: 'webhook.timeout' });
    assert.deepEqual(await channel.send(alert(to)), { status: 'sent' });
    assert.equal(receiver.received.length, 3);
  });

  test('maps 5xx and 429 to retry, other 4xx and 3xx to failed', async (t) => {
    const { receiver, channel, to } = await setup(t);
    receiver.respondNext(503);
    assert.deepEqual(await channel.send(alert(to)), {
      status: 'retry',
      code: 'webhook.http_5xx',
      detail: 'HTTP 503',
    });
    receiver.respondNext(429, { 'Retry-After': '30' });
    assert.deepEqual(await channel.send(alert(to)), {
      status: 'retry',
      code: 'webhook.throttled',
      retryAfterMs: 30_000,
      detail: 'HTTP 429',
    });
    receiver.respondNext(422);
    assert.deepEqual(await channel.send(alert(to)), {
      status: 'failed',
      code: 'webhook.http_4xx',
      detail: 'HTTP 422',
    });
    receiver.respondNext(302, { Location: 'http://127.0.0.1:1/elsewhere' });
    assert.deepEqual(await channel.send(alert(to)), {
      status: 'failed',
      code: 'webhook.http_3xx',
      detail: 'HTTP 302',
    });
    assert.equal(receiver.received.length, 4);
  });

  test('an unreachable partner answers retry; unknown partners and bad URLs fail without a request', async (t) => {
    const { receiver, channel, to } = await setup(t);
    assert.deepEqual(await channel.send(alert('http://127.0.0.1:9/unknown')), {
      status: 'failed',
      code: 'webhook.unknown_partner',
    });
    assert.deepEqual(await channel.send(alert('not a url')), {
      status: 'failed',
      code: 'webhook.invalid_url',
    });
    assert.deepEqual(await channel.send(alert('ftp://127.0.0.1/x')), {
      status: 'failed',
      code: 'webhook.invalid_url',
    });
    assert.equal(receiver.received.length, 0);
    await receiver.close();
    const result = await channel.send(alert(to));
    assert.equal(result.status === 'retry' && result.code, 'webhook.unavailable');
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"id":"dlv-1","text":"Shelter in place"}';
  const now = new Date('2026-11-28T12:00:00Z');
  const timestamp = Math.floor(now.getTime() / 1000);
  const signature = signWebhook(SECRET, timestamp, body);

  test('accepts the signature of the same secret, timestamp and body', () => {
    assert.match(signature, /^v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifyWebhookSignature(SECRET, timestamp, body, signature, { now }), { ok: true });
    assert.deepEqual(
      verifyWebhookSignature(SECRET, String(timestamp), Buffer.from(body), signature, { now }),
      {
        ok: true,
      },
    );
  });

  test('rejects another secret, a changed body or a changed timestamp', () => {
    const invalid = { ok: false, code: 'webhook.signature_invalid' };
    assert.deepEqual(verifyWebhookSignature('other', timestamp, body, signature, { now }), invalid);
    assert.deepEqual(verifyWebhookSignature(SECRET, timestamp, `${body} `, signature, { now }), invalid);
    assert.deepEqual(verifyWebhookSignature(SECRET, timestamp - 1, body, signature, { now }), invalid);
  });

  test('rejects timestamps outside the replay window on either side', () => {
    const stale = { ok: false, code: 'webhook.signature_stale' };
    const at = (offsetSeconds: number) => new Date(now.getTime() + offsetSeconds * 1000);
    assert.deepEqual(verifyWebhookSignature(SECRET, timestamp, body, signature, { now: at(300) }), {
      ok: true,
    });
    assert.deepEqual(verifyWebhookSignature(SECRET, timestamp, body, signature, { now: at(301) }), stale);
    assert.deepEqual(verifyWebhookSignature(SECRET, timestamp, body, signature, { now: at(-301) }), stale);
    assert.deepEqual(
      verifyWebhookSignature(SECRET, timestamp, body, signature, { now: at(60), toleranceSeconds: 30 }),
      stale,
    );
  });

  test('accepts any one of several v1 signatures, as sent while a secret is rotated', () => {
    const old = signWebhook('retired-secret', timestamp, body);
    assert.deepEqual(verifyWebhookSignature(SECRET, timestamp, body, `${old}, ${signature}`, { now }), {
      ok: true,
    });
    assert.deepEqual(
      verifyWebhookSignature('retired-secret', timestamp, body, `${old},${signature}`, { now }),
      {
        ok: true,
      },
    );
  });

  test('rejects malformed headers and timestamps', () => {
    const malformed = { ok: false, code: 'webhook.signature_malformed' };
    for (const header of ['', 'v1=', 'v1=xyz', 'sha256=abcd', signature.slice(0, -2), `${signature}00`]) {
      assert.deepEqual(verifyWebhookSignature(SECRET, timestamp, body, header, { now }), malformed, header);
    }
    for (const stamp of ['', 'soon', '1.5', '-5']) {
      assert.deepEqual(verifyWebhookSignature(SECRET, stamp, body, signature, { now }), malformed, stamp);
    }
  });
});
