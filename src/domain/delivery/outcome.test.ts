import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideOutcome, decideReceipt, type RetryPolicy } from './outcome.ts';

const policy: RetryPolicy = { baseMs: 1000, maxMs: 60_000, factor: 2, maxAttempts: 4 };
const now = new Date('2026-11-28T12:00:00.000Z');
const half = () => 0.5;
const at = (ms: number) => new Date(now.getTime() + ms);

describe('decideOutcome', () => {
  test('a sent message keeps its provider id', () => {
    assert.deepEqual(decideOutcome({ status: 'sent', providerId: 'ab12' }, 1, policy, now, half), {
      state: 'sent',
      providerId: 'ab12',
    });
    assert.deepEqual(decideOutcome({ status: 'sent' }, 1, policy, now, half), {
      state: 'sent',
      providerId: null,
    });
  });
  test('a retry waits with jittered exponential backoff', () => {
    const first = decideOutcome({ status: 'retry', code: 'sms.http_5xx' }, 1, policy, now, half);
    assert.deepEqual(first, { state: 'queued', code: 'sms.http_5xx', detail: null, nextAttemptAt: at(500) });
    const third = decideOutcome({ status: 'retry', code: 'sms.timeout' }, 3, policy, now, half);
    assert.equal(third.state === 'queued' && third.nextAttemptAt.getTime(), at(2000).getTime());
  });
  test("a provider's Retry-After is honoured when longer than the backoff, up to the ceiling", () => {
    const asked = decideOutcome(
      { status: 'retry', code: 'sms.throttled', retryAfterMs: 7000 },
      1,
      policy,
      now,
      half,
    );
    assert.equal(asked.state === 'queued' && asked.nextAttemptAt.getTime(), at(7000).getTime());
    const huge = decideOutcome(
      { status: 'retry', code: 'push.throttled', retryAfterMs: 86_400_000 },
      1,
      policy,
      now,
      half,
    );
    assert.equal(huge.state === 'queued' && huge.nextAttemptAt.getTime(), at(60_000).getTime());
  });
  test('after the last attempt a retry becomes dead with its reason, and falls back', () => {
    const dead = decideOutcome(
      { status: 'retry', code: 'sms.throttled', detail: 'command_status 0x58' },
      4,
      policy,
      now,
      half,
    );
    assert.deepEqual(dead, {
      state: 'dead',
      code: 'sms.throttled',
      detail: 'command_status 0x58; gave up after 4 attempts',
      fallback: true,
      removeContact: false,
    });
  });
  test('a permanent failure is dead at once and falls back; gone also removes the contact', () => {
    assert.deepEqual(decideOutcome({ status: 'failed', code: 'sms.rejected_number' }, 1, policy, now, half), {
      state: 'dead',
      code: 'sms.rejected_number',
      detail: null,
      fallback: true,
      removeContact: false,
    });
    const gone = decideOutcome({ status: 'gone', code: 'push.gone' }, 1, policy, now, half);
    assert.equal(gone.state === 'dead' && gone.removeContact, true);
  });
});

describe('decideReceipt', () => {
  test('delivered, or failed with the receipt code', () => {
    assert.deepEqual(decideReceipt({ status: 'delivered' }), { state: 'delivered' });
    assert.deepEqual(decideReceipt({ status: 'failed', code: 'sms.undeliverable' }), {
      state: 'failed',
      code: 'sms.undeliverable',
    });
    assert.deepEqual(decideReceipt({ status: 'expired' }), { state: 'failed', code: 'receipt.expired' });
  });
});
