import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type AlertSummary, type InfoBlock, renderMessage, type SmsCheckCache } from './render.ts';

const alert: AlertSummary = {
  identifier: 'urn:haven:test:alert:1',
  status: 'Actual',
  msgType: 'Alert',
  event: 'Armed clashes',
  severity: 'Severe',
  urgency: 'Immediate',
};
const replyUrl = `https://haven.example.org/r/${'A'.repeat(66)}`;
const arabic: InfoBlock = {
  language: 'ar',
  headline: 'اشتباكات مسلحة',
  description: 'ابقوا في منازلكم <بعيدا> عن النوافذ.',
  instruction: null,
  smsText: 'تنبيه من السفارة: ابقوا في منازلكم.',
};
const tagalog: InfoBlock = {
  language: 'fil',
  headline: 'Babala',
  description: 'Manatili sa loob.',
  instruction: 'Tumawag sa embahada.',
  smsText: 'Babala mula sa embahada sa Parañaque: manatili sa loob. Sumagot ng LIGTAS.',
};

describe('renderMessage', () => {
  test('SMS: the text, then the reply link; segments counted in the alphabet the whole text needs', () => {
    const result = renderMessage({ channel: 'sms', alert, block: tagalog, replyUrl, maxSmsSegments: 4 });
    assert.ok(result.ok);
    assert.equal(result.message.text, `${tagalog.smsText}\n${replyUrl}`);
    assert.equal(result.message.text.length, 169);
    assert.equal(result.message.segments, 2, 'GSM-7 with ñ: 169 septets in segments of 153');
    const ar = renderMessage({ channel: 'sms', alert, block: arabic, replyUrl, maxSmsSegments: 4 });
    assert.ok(ar.ok);
    assert.equal(ar.message.text.length, 130);
    assert.equal(ar.message.segments, 2, 'Arabic makes the link UCS-2 too: 130 units in segments of 67');
  });
  test('SMS over the limit is refused as message.too_long with the count', () => {
    const result = renderMessage({ channel: 'sms', alert, block: arabic, replyUrl, maxSmsSegments: 1 });
    assert.deepEqual(result, { ok: false, code: 'message.too_long', detail: '2 UCS-2 segments, limit 1' });
  });
  test('e-mail: headline as subject, every part in the text, escaped HTML in the right direction', () => {
    const result = renderMessage({ channel: 'email', alert, block: arabic, replyUrl, maxSmsSegments: 1 });
    assert.ok(result.ok);
    assert.equal(result.message.subject, arabic.headline);
    assert.equal(result.message.text, [arabic.headline, arabic.description, replyUrl].join('\n\n'));
    assert.match(result.message.html ?? '', /<html lang="ar" dir="rtl">/);
    assert.match(result.message.html ?? '', /&lt;بعيدا&gt;/);
    assert.doesNotMatch(result.message.html ?? '', /<بعيدا>/);
  });
  test('push: title and short text, the link in the data', () => {
    const result = renderMessage({ channel: 'push', alert, block: tagalog, replyUrl, maxSmsSegments: 1 });
    assert.ok(result.ok);
    assert.equal(result.message.subject, 'Babala');
    assert.equal(result.message.text, tagalog.smsText);
    assert.equal(result.message.metadata.url, replyUrl);
  });
  test('webhook: the alert for a partner, with no reply link', () => {
    const result = renderMessage({
      channel: 'webhook',
      alert,
      block: tagalog,
      replyUrl: null,
      maxSmsSegments: 1,
    });
    assert.ok(result.ok);
    assert.equal(result.message.text, 'Manatili sa loob.');
    assert.equal(result.message.metadata.severity, 'Severe');
    assert.equal(result.message.metadata.url, undefined);
  });
});

describe('the SMS check shared across recipients', () => {
  test('gives every recipient exactly what a check of their own text gives', () => {
    const cache: SmsCheckCache = new Map();
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{66}$/);
    const text = fc.constantFrom(
      tagalog.smsText,
      arabic.smsText,
      'Bayad: 5€ [libre] ~ {ok}',
      '🆘 Help'.repeat(9),
      'a'.repeat(100),
    );
    fc.assert(
      fc.property(text, token, fc.integer({ min: 1, max: 4 }), (smsText, t, max) => {
        const input = {
          channel: 'sms' as const,
          alert,
          block: { ...tagalog, smsText },
          replyUrl: `https://haven.example.org/r/${t}`,
          maxSmsSegments: max,
        };
        assert.deepEqual(renderMessage(input, cache), renderMessage(input));
      }),
    );
    assert.ok(cache.size <= 5 * 4, 'one check per text and limit, not per recipient');
  });
});
