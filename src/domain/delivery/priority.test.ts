import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { deliveryPriority, isRealAlertPriority } from './priority.ts';

describe('deliveryPriority', () => {
  test('a higher level goes first within real alerts and within drills', () => {
    assert.ok(
      deliveryPriority({ status: 'Actual', level: 4 }) > deliveryPriority({ status: 'Actual', level: 1 }),
    );
    assert.ok(
      deliveryPriority({ status: 'Exercise', level: 4 }) > deliveryPriority({ status: 'Exercise', level: 2 }),
    );
  });
  test('every real alert outranks every drill or test, whatever the levels', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: -5, max: 500 }), { nil: null }),
        fc.option(fc.integer({ min: -5, max: 500 }), { nil: null }),
        fc.constantFrom('Exercise', 'Test', 'System', 'Draft'),
        (real, drill, status) => {
          const a = deliveryPriority({ status: 'Actual', level: real });
          const b = deliveryPriority({ status, level: drill });
          assert.ok(a > b);
          assert.equal(isRealAlertPriority(a), true);
          assert.equal(isRealAlertPriority(b), false);
        },
      ),
    );
  });
  test('an alert without a level ranks as level 0', () => {
    assert.equal(
      deliveryPriority({ status: 'Actual', level: null }),
      deliveryPriority({ status: 'Actual', level: 0 }),
    );
  });
});
