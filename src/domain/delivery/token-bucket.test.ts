import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  test('starts full and refuses more than the burst at once', () => {
    const bucket = new TokenBucket(10, 5, 0);
    assert.equal(bucket.take(5, 0), true);
    assert.equal(bucket.take(1, 0), false);
  });
  test('refills at the rate, never above the burst', () => {
    const bucket = new TokenBucket(10, 5, 0);
    bucket.take(5, 0);
    assert.equal(bucket.available(100), 1);
    assert.equal(bucket.available(250), 2.5);
    assert.equal(bucket.available(60_000), 5);
  });
  test('says how long until enough tokens are there', () => {
    const bucket = new TokenBucket(4, 2, 0);
    bucket.take(2, 0);
    assert.equal(bucket.msUntil(1, 0), 250);
    assert.equal(bucket.msUntil(2, 100), 400);
    assert.equal(bucket.msUntil(1, 250), 0);
    assert.throws(() => bucket.msUntil(3, 0), RangeError);
  });
  test('a clock stepping back neither adds nor removes tokens', () => {
    const bucket = new TokenBucket(10, 10, 1000);
    bucket.take(10, 1000);
    assert.equal(bucket.available(500), 0);
    assert.equal(bucket.available(1100), 1);
  });
  test('over any stretch of time, no more than burst + rate × time tokens are taken', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 20 })), {
          maxLength: 60,
        }),
        (rate, burst, steps) => {
          const bucket = new TokenBucket(rate, burst, 0);
          let now = 0;
          let taken = 0;
          for (const [gap, want] of steps) {
            now += gap;
            if (bucket.take(want, now)) taken += want;
          }
          assert.ok(taken <= burst + (rate * now) / 1000 + 1e-9);
        },
      ),
    );
  });
  test('refuses a rate or burst that cannot work', () => {
    assert.throws(() => new TokenBucket(0, 1, 0), RangeError);
    assert.throws(() => new TokenBucket(Number.POSITIVE_INFINITY, 1, 0), RangeError);
    assert.throws(() => new TokenBucket(1, 0.5, 0), RangeError);
  });
});
