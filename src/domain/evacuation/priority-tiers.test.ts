import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evacuee } from '../../../test/evacuation/instance-builders.ts';
import { EvacuationInputError } from './evacuation-error.ts';
import type { PriorityScheme } from './evacuation-types.ts';
import { assertValidPriorityScheme, DEFAULT_PRIORITY_SCHEME, tierOfEvacuee } from './priority-tiers.ts';

const PLAN_YEAR = 2026;
const tierOf = (overrides: Parameters<typeof evacuee>[2], scheme: PriorityScheme = DEFAULT_PRIORITY_SCHEME) =>
  tierOfEvacuee(evacuee('p', 'g', overrides), scheme, PLAN_YEAR);

describe('default priority tiers', () => {
  test('orders medical, unaccompanied children, pregnant, disability or elderly, survivors, everyone else', () => {
    assert.equal(tierOf({ vulnerabilities: ['medical'] }), 1);
    assert.equal(tierOf({ needsMedicalSeat: true }), 1);
    assert.equal(tierOf({ vulnerabilities: ['unaccompanied_child'] }), 2);
    assert.equal(tierOf({ vulnerabilities: ['pregnant'] }), 3);
    assert.equal(tierOf({ vulnerabilities: ['disability'] }), 4);
    assert.equal(tierOf({ vulnerabilities: ['chronic_illness'] }), 4);
    assert.equal(tierOf({ vulnerabilities: ['elderly'] }), 4);
    assert.equal(tierOf({ vulnerabilities: ['trafficking_survivor'] }), 5);
    assert.equal(tierOf({ vulnerabilities: ['violence_survivor'] }), 5);
    assert.equal(tierOf({ vulnerabilities: ['child'] }), 6);
    assert.equal(tierOf({ vulnerabilities: ['detained', 'passport_held_by_employer'] }), 6);
    assert.equal(tierOf({}), 6);
  });

  test('takes the most urgent tier a person qualifies for', () => {
    assert.equal(tierOf({ vulnerabilities: ['violence_survivor', 'pregnant'] }), 3);
    assert.equal(tierOf({ vulnerabilities: ['elderly'], needsMedicalSeat: true }), 1);
  });

  test('counts people aged 60 or more at the plan year as elderly, from their birth year', () => {
    assert.equal(tierOf({ birthYear: PLAN_YEAR - 60 }), 4);
    assert.equal(tierOf({ birthYear: PLAN_YEAR - 59 }), 6);
    assert.equal(tierOf({ birthYear: null }), 6);
  });
});

describe('configured priority tiers', () => {
  test('follow the scheme given, the last tier taking everyone else', () => {
    const scheme: PriorityScheme = [
      { label: 'children', weight: 5, vulnerabilities: ['child', 'unaccompanied_child'] },
      { label: 'medical', weight: 3, vulnerabilities: ['medical'], includesMedicalSeatNeeds: true },
      { label: 'others', weight: 1, vulnerabilities: [] },
    ];
    assert.equal(tierOf({ vulnerabilities: ['child'] }, scheme), 1);
    assert.equal(tierOf({ needsMedicalSeat: true }, scheme), 2);
    assert.equal(tierOf({ vulnerabilities: ['pregnant'] }, scheme), 3);
  });

  test('must have tiers whose weights are positive and never rise', () => {
    const refuse = (scheme: PriorityScheme) =>
      assert.throws(
        () => assertValidPriorityScheme(scheme),
        (error: unknown) =>
          error instanceof EvacuationInputError && error.code === 'evacuation.invalid_tier_scheme',
      );
    refuse([]);
    refuse([{ label: 'a', weight: 0, vulnerabilities: [] }]);
    refuse([
      { label: 'a', weight: 1, vulnerabilities: ['medical'] },
      { label: 'b', weight: 2, vulnerabilities: [] },
    ]);
    assert.doesNotThrow(() => assertValidPriorityScheme(DEFAULT_PRIORITY_SCHEME));
  });
});
