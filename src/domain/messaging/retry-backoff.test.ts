import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { nextRetryDelay } from './retry-backoff.ts';

const policy = { baseMs: 1_000, maxMs: 60_000, factor: 2 };
const justBelowOne = () => 1 - Number.EPSILON;

describe('nextRetryDelay', () => {
  test('the ceiling doubles with each attempt from the base', () => {
    assert.equal(nextRetryDelay(1, policy, justBelowOne), 999);
    assert.equal(nextRetryDelay(2, policy, justBelowOne), 1_999);
    assert.equal(nextRetryDelay(3, policy, justBelowOne), 3_999);
    assert.equal(nextRetryDelay(6, policy, justBelowOne), 31_999);
  });

  test('the ceiling stops growing at maxMs', () => {
    assert.equal(nextRetryDelay(7, policy, justBelowOne), 59_999);
    assert.equal(nextRetryDelay(50, policy, justBelowOne), 59_999);
    assert.equal(nextRetryDelay(10_000, policy, justBelowOne), 59_999);
  });

  test('full jitter: the delay is the random draw scaled to the ceiling', () => {
    assert.equal(
      nextRetryDelay(3, policy, () => 0),
      0,
    );
    assert.equal(
      nextRetryDelay(3, policy, () => 0.5),
      2_000,
    );
    assert.equal(
      nextRetryDelay(3, policy, () => 0.25),
      1_000,
    );
  });

  test('honours a non-doubling factor', () => {
    assert.equal(
      nextRetryDelay(3, { baseMs: 400, maxMs: 10_000, factor: 1.5 }, () => 0.5),
      450,
    );
    assert.equal(
      nextRetryDelay(4, { baseMs: 400, maxMs: 10_000, factor: 1 }, () => 0.5),
      200,
    );
  });

  test('every delay is a whole number of ms within [0, ceiling)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, extra, factor, draw) => {
          const maxMs = baseMs + extra;
          const delay = nextRetryDelay(attempt, { baseMs, maxMs, factor }, () => draw);
          const ceiling = Math.min(maxMs, baseMs * factor ** (attempt - 1));
          assert.ok(Number.isInteger(delay));
          assert.ok(delay >= 0 && delay < ceiling);
        },
      ),
    );
  });

  test('refuses an attempt number, policy or random draw out of range', () => {
    for (const attempt of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => nextRetryDelay(attempt, policy, () => 0.5), RangeError);
    }
    for (const bad of [
      { baseMs: 0, maxMs: 10, factor: 2 },
      { baseMs: 100, maxMs: 10, factor: 2 },
      { baseMs: 100, maxMs: Number.POSITIVE_INFINITY, factor: 2 },
      { baseMs: 100, maxMs: 1_000, factor: 0.5 },
    ]) {
      assert.throws(() => nextRetryDelay(1, bad, () => 0.5), RangeError);
    }
    for (const draw of [1, -0.1, Number.NaN]) {
      assert.throws(() => nextRetryDelay(1, policy, () => draw), RangeError);
    }
  });
});
