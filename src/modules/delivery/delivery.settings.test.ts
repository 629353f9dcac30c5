import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../config.ts';
import { DELIVERY_SETTING_VARIABLES, deliverySettingsFrom } from './delivery.settings.ts';

describe('delivery settings from the environment', () => {
  test('defaults work on a laptop: nothing configured, sensible limits', () => {
    const s = deliverySettingsFrom({});
    assert.equal(s.publicUrl, 'http://localhost:8080');
    assert.deepEqual(s.channelOrder, ['push', 'sms', 'email']);
    assert.equal(s.allChannelsLevel, 3);
    assert.deepEqual([s.smpp, s.smsHttp, s.smtp, s.push], [null, null, null, null]);
    assert.deepEqual(s.webhooks, []);
    assert.deepEqual(s.limits.sms, { ratePerSecond: 50, burst: 50, concurrency: 10 });
    assert.equal(s.replyTokenSecret, null);
  });

  test('each channel from its variables', () => {
    const s = deliverySettingsFrom({
      HAVEN_PUBLIC_URL: 'https://haven.example.org/',
      HAVEN_DELIVERY_CHANNEL_ORDER: 'sms,email',
      HAVEN_SMPP_HOST: 'smsc.example.net',
      HAVEN_SMPP_SYSTEM_ID: 'haven',
      HAVEN_SMPP_PASSWORD: 'pw',
      HAVEN_SMPP_SOURCE_ADDR: 'EMBASSY',
      HAVEN_SMPP_WINDOW: '20',
      HAVEN_SMTP_URL: 'smtps://alerts%40embassy.test:p%40ss@mail.example.net',
      HAVEN_SMTP_FROM: 'Embassy <alerts@embassy.test>',
      HAVEN_VAPID_PUBLIC_KEY: 'BPublic',
      HAVEN_VAPID_PRIVATE_KEY: 'private',
      HAVEN_VAPID_SUBJECT: 'mailto:alerts@embassy.test',
      HAVEN_WEBHOOK_TARGETS: JSON.stringify([
        {
          name: 'ngo',
          url: 'https://ngo.example.org/hook',
          secret: 'x'.repeat(20),
          language: 'AR',
          countries: ['ae'],
        },
      ]),
      HAVEN_SMS_RATE: '0',
    });
    assert.equal(s.publicUrl, 'https://haven.example.org');
    assert.deepEqual(s.channelOrder, ['sms', 'email']);
    assert.equal(s.smpp?.port, 2775);
    assert.equal(s.smpp?.window, 20);
    assert.deepEqual(s.smtp && [s.smtp.host, s.smtp.port, s.smtp.secure, s.smtp.auth], [
      'mail.example.net',
      465,
      true,
      { user: 'alerts@embassy.test', pass: 'p@ss' },
    ]);
    assert.equal(s.push?.vapid.subject, 'mailto:alerts@embassy.test');
    assert.deepEqual(s.webhooks[0] && [s.webhooks[0].language, s.webhooks[0].countries], ['ar', ['AE']]);
    assert.equal(s.limits.sms.ratePerSecond, null, 'a rate of 0 means no limit');
  });

  test('the Twilio preset and the generic gateway', () => {
    const twilio = deliverySettingsFrom({
      HAVEN_SMS_HTTP_PRESET: 'twilio',
      HAVEN_SMS_HTTP_ACCOUNT: 'AC123',
      HAVEN_SMS_HTTP_TOKEN: 'token',
      HAVEN_SMS_HTTP_FROM: '+15005550006',
    });
    assert.match(
      twilio.smsHttp?.url ?? '',
      /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/\{AccountSid\}/,
    );
    const generic = deliverySettingsFrom({
      HAVEN_SMS_HTTP_PRESET: 'generic',
      HAVEN_SMS_HTTP_URL: 'https://gw.example.net/send',
      HAVEN_SMS_HTTP_FROM: 'EMBASSY',
      HAVEN_SMS_HTTP_TOKEN: 'k',
      HAVEN_SMS_HTTP_AUTH_HEADER: 'Authorization: Bearer {token}',
      HAVEN_SMS_HTTP_ID_FIELD: 'result.id',
    });
    assert.deepEqual(generic.smsHttp?.auth, {
      kind: 'header',
      name: 'Authorization',
      value: 'Bearer {token}',
    });
    assert.equal(generic.smsHttp?.providerIdField, 'result.id');
  });

  test('a bad value is refused with the name of its variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ HAVEN_DELIVERY_CHANNEL_ORDER: 'push,fax' }, /HAVEN_DELIVERY_CHANNEL_ORDER/],
      [{ HAVEN_SMPP_HOST: 'smsc' }, /HAVEN_SMPP_SYSTEM_ID/],
      [{ HAVEN_SMTP_URL: 'http://mail' }, /HAVEN_SMTP_URL/],
      [{ HAVEN_VAPID_PUBLIC_KEY: 'k' }, /HAVEN_VAPID/],
      [{ HAVEN_WEBHOOK_TARGETS: '[{"name":"x","url":"ftp://a","secret":"0123456789abcdef"}]' }, /url/],
      [{ HAVEN_DELIVERY_LEASE_MS: '10' }, /HAVEN_DELIVERY_LEASE_MS/],
      [{ HAVEN_REPLY_TOKEN_SECRET: 'c2hvcnQ=' }, /HAVEN_REPLY_TOKEN_SECRET/],
      [{ HAVEN_DELIVERY_RETRY_BASE_MS: '5000', HAVEN_DELIVERY_RETRY_MAX_MS: '100' }, /RETRY_MAX_MS/],
    ];
    for (const [env, message] of cases)
      assert.throws(
        () => deliverySettingsFrom(env),
        (e) => e instanceof ConfigError && message.test(e.message),
      );
  });

  test('every documented variable has a unique name', () => {
    const names = DELIVERY_SETTING_VARIABLES.map((v) => v.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => /^HAVEN_[A-Z0-9_]+$/.test(n)));
  });

  test('they are part of the one Config: listed with every variable, validated when it loads', () => {
    const listed = new Set(CONFIG_VARIABLES.map((v) => v.name));
    assert.ok(DELIVERY_SETTING_VARIABLES.every((v) => listed.has(v.name)));
    assert.deepEqual(loadConfig({}).delivery, deliverySettingsFrom({}));
    assert.equal(loadConfig({ HAVEN_SMS_RATE: '7' }).delivery.limits.sms.ratePerSecond, 7);
    assert.throws(
      () => loadConfig({ HAVEN_SMS_RATE: 'fast' }),
      (e) => e instanceof ConfigError && /HAVEN_SMS_RATE/.test(e.message),
    );
  });

  test('the CLI refuses a bad delivery setting in one line, with exit code 2', () => {
    const run = spawnSync(process.execPath, ['bin/haven.js', 'config'], {
      env: { ...process.env, HAVEN_DELIVERY_CHANNEL_ORDER: 'push,fax' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /HAVEN_DELIVERY_CHANNEL_ORDER/);
  });
});
