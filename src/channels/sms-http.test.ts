import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SmsGateway, startSmsGateway } from '../../test/peers/sms-gateway.ts';
import type { SmsChannel } from './channel.ts';
import { createHttpSmsChannel, type HttpSmsConfig, twilioPreset } from './sms-http.ts';

type After = { after: (fn: () => Promise<void>) => void };

async function twilio(
  t: After,
  overrides: Partial<HttpSmsConfig> = {},
): Promise<{ gateway: SmsGateway; channel: SmsChannel }> {
  const gateway = await startSmsGateway();
  const channel = createHttpSmsChannel({
    ...twilioPreset({
      accountSid: gateway.accountSid,
      authToken: gateway.authToken,
      from: '+15005550006',
      baseUrl: gateway.url,
    }),
    timeoutMs: 1000,
    ...overrides,
  });
  t.after(async () => {
    await channel.close();
    await gateway.close();
  });
  return { gateway, channel };
}

const ARABIC = 'تنبيه: توجهوا إلى أقرب نقطة تجمع.';

describe('HTTP SMS channel, Twilio-shaped preset', () => {
  test('POSTs To/From/Body form-encoded with Basic authentication and answers the sid', async (t) => {
    const { gateway, channel } = await twilio(t);
    const result = await channel.send({ deliveryId: 'dlv-1', to: '+971501234567', text: ARABIC });
    const [accepted] = gateway.accepted;
    assert.ok(accepted);
    assert.deepEqual(result, { status: 'sent', providerId: accepted.id });
    assert.match(accepted.id, /^SM[0-9a-f]{32}$/);
    assert.deepEqual(accepted, { id: accepted.id, to: '+971501234567', from: '+15005550006', body: ARABIC });
    const [request] = gateway.requests;
    assert.equal(request?.path, `/2010-04-01/Accounts/${gateway.accountSid}/Messages.json`);
    assert.equal(request?.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  test('429 answers retry with the Retry-After delay; 5xx answers retry', async (t) => {
    const { gateway, channel } = await twilio(t);
    const message = { deliveryId: 'dlv-2', to: '+639171234567', text: 'Ingat po' };
    gateway.respondNext(
      429,
      { code: 20429, message: 'Too Many Requests', status: 429 },
      { 'Retry-After': '2' },
    );
    assert.deepEqual(await channel.send(message), {
      status: 'retry',
      code: 'sms.throttled',
      retryAfterMs: 2000,
      detail: 'HTTP 429',
    });
    gateway.respondNext(503, { message: 'Service Unavailable' });
    assert.deepEqual(await channel.send(message), {
      status: 'retry',
      code: 'sms.http_5xx',
      detail: 'HTTP 503',
    });
    assert.equal((await channel.send(message)).status, 'sent');
  });

  test('4xx answers fail with the provider code; numbers the provider cannot reach as sms.rejected_number', async (t) => {
    const { gateway, channel } = await twilio(t);
    gateway.rejectNumber('+15550001111', 21614);
    gateway.rejectNumber('+15550002222', 21408);
    assert.deepEqual(await channel.send({ deliveryId: 'd', to: '+15550001111', text: 'x' }), {
      status: 'failed',
      code: 'sms.rejected_number',
      detail: 'HTTP 400, provider code 21614',
    });
    assert.deepEqual(await channel.send({ deliveryId: 'd', to: '+15550002222', text: 'x' }), {
      status: 'failed',
      code: 'sms.provider.21408',
      detail: 'HTTP 400, provider code 21408',
    });
    gateway.respondNext(400, undefined);
    assert.deepEqual(await channel.send({ deliveryId: 'd', to: '+15550003333', text: 'x' }), {
      status: 'failed',
      code: 'sms.http_4xx',
      detail: 'HTTP 400',
    });
    assert.equal(gateway.accepted.length, 0);
  });

  test('refused credentials answer retry, not a failure of the recipient', async (t) => {
    const gateway = await startSmsGateway();
    const channel = createHttpSmsChannel(
      twilioPreset({
        accountSid: gateway.accountSid,
        authToken: 'wrong',
        from: '+15005550006',
        baseUrl: gateway.url,
      }),
    );
    t.after(async () => {
      await channel.close();
      await gateway.close();
    });
    assert.deepEqual(await channel.send({ deliveryId: 'd', to: '+639171234567', text: 'x' }), {
      status: 'retry',
      code: 'sms.unavailable',
      detail: 'HTTP 401',
    });
  });

  test('a gateway that answers late or never answers retry sms.timeout', async (t) => {
    const { gateway, channel } = await twilio(t, { timeoutMs: 150 });
    const message = { deliveryId: 'dlv-3', to: '+639171234567', text: 'Ingat po' };
    gateway.delayNext(600);
    assert.deepEqual(await channel.send(message), { status: 'retry', code: 'sms.timeout' });
    gateway.stallNext();
    assert.deepEqual(await channel.send(message), { status: 'retry', code: 'sms.timeout' });
    assert.equal((await channel.send(message)).status, 'sent');
  });

  test('malformed numbers and over-long messages fail without a request; an unreachable gateway answers retry', async (t) => {
    const { gateway, channel } = await twilio(t, { maxSegments: 2 });
    const malformed = await channel.send({ deliveryId: 'd', to: '0917 123 4567', text: 'x' });
    assert.equal(malformed.status === 'failed' && malformed.code, 'sms.rejected_number');
    const long = await channel.send({ deliveryId: 'd', to: '+639171234567', text: ARABIC.repeat(5) });
    assert.equal(long.status === 'failed' && long.code, 'message.too_long');
    assert.equal(gateway.requests.length, 0);
    await gateway.close();
    const down = await channel.send({ deliveryId: 'd', to: '+639171234567', text: 'x' });
    assert.equal(down.status === 'retry' && down.code, 'sms.unavailable');
  });
});

describe('HTTP SMS channel, generic JSON configuration', () => {
  async function generic(t: After) {
    const gateway = await startSmsGateway();
    const channel = createHttpSmsChannel({
      url: `${gateway.url}/api/sms`,
      format: 'json',
      body: {
        destination: '{to}',
        sender: '{from}',
        content: { text: '{text}' },
        reference: '{deliveryId}',
        flash: false,
      },
      from: 'EMBASSY',
      variables: { apiKey: gateway.apiKey },
      auth: { kind: 'header', name: 'Authorization', value: 'Bearer {apiKey}' },
      headers: { 'X-Client': 'haven/{deliveryId}' },
      providerIdField: 'result.id',
      errorCodeField: 'error.code',
      rejectedNumberCodes: ['E21211'],
      timeoutMs: 1000,
    });
    t.after(async () => {
      await channel.close();
      await gateway.close();
    });
    return { gateway, channel };
  }

  test('fills the JSON template, header authentication and headers; takes the id from a nested field', async (t) => {
    const { gateway, channel } = await generic(t);
    const text = 'Literal {from} and {to} stay as written: ñ, €, ব';
    const result = await channel.send({ deliveryId: 'dlv-9', to: '+8801712345678', text });
    const [accepted] = gateway.accepted;
    assert.deepEqual(result, { status: 'sent', providerId: accepted?.id });
    assert.deepEqual(gateway.requests[0]?.json, {
      destination: '+8801712345678',
      sender: 'EMBASSY',
      content: { text },
      reference: 'dlv-9',
      flash: false,
    });
    assert.equal(gateway.requests[0]?.headers['x-client'], 'haven/dlv-9');
  });

  test('maps the configured error codes', async (t) => {
    const { gateway, channel } = await generic(t);
    gateway.rejectNumber('+8801700000000', 21211);
    gateway.rejectNumber('+8801700000001', 30007);
    const rejected = await channel.send({ deliveryId: 'd', to: '+8801700000000', text: 'x' });
    assert.equal(rejected.status === 'failed' && rejected.code, 'sms.rejected_number');
    const other = await channel.send({ deliveryId: 'd', to: '+8801700000001', text: 'x' });
    assert.equal(other.status === 'failed' && other.code, 'sms.provider.E30007');
  });

  test('refuses a template naming a placeholder it has no value for', () => {
    assert.throws(
      () =>
        createHttpSmsChannel({
          url: 'https://gateway.example/{account}/send',
          format: 'form',
          body: { to: '{to}', text: '{text}' },
          from: 'X',
        }),
      /unknown placeholder \{account\}/,
    );
  });
});
