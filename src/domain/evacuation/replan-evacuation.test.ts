import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assemblyPoint,
  HOUR,
  household,
  hub,
  legFrom,
  legFromHub,
  NOW,
  operation,
} from '../../../test/evacuation/instance-builders.ts';
import { checkPlan } from '../../../test/evacuation/plan-checker.ts';
import { EvacuationInputError } from './evacuation-error.ts';
import type { EvacuationInput, EvacuationPlan, ExistingAssignment } from './evacuation-types.ts';
import { planEvacuation, replanEvacuation } from './plan-evacuation.ts';

function legOf(plan: EvacuationPlan, evacueeId: string): string | undefined {
  return plan.assignments.find((a) => a.evacueeId === evacueeId)?.legId;
}

/** Records the given people of a plan as boarded, as the scanner would. */
function board(plan: EvacuationPlan, evacueeIds: string[]): ExistingAssignment[] {
  return plan.assignments
    .filter((a) => evacueeIds.includes(a.evacueeId))
    .map((a) => ({
      evacueeId: a.evacueeId,
      legId: a.legId,
      assemblyPointId: a.assemblyPointId,
      seat: a.seat,
      boarded: true,
    }));
}

function baseInput(): EvacuationInput {
  return operation({
    households: [
      household('aboard', 2),
      household('medical', 2, { vulnerabilities: ['medical'] }),
      household('family', 3),
      household('single', 1),
    ],
    assemblyPoints: [assemblyPoint('ap')],
    legs: [
      legFrom('early', 'ap', { departsAt: NOW + 2 * HOUR, seats: 4 }),
      legFrom('middle', 'ap', { departsAt: NOW + 6 * HOUR, seats: 4 }),
      legFrom('late', 'ap', { departsAt: NOW + 12 * HOUR, seats: 3 }),
    ],
  });
}

describe('replanEvacuation', () => {
  test('never moves boarded people and keeps everyone else whose leg still runs', () => {
    const input = baseInput();
    const first = planEvacuation(input);
    // Medical first on the early leg, then the larger households: family on the middle leg.
    assert.equal(legOf(first, 'medical-1'), 'early');
    assert.equal(legOf(first, 'aboard-1'), 'early');
    assert.equal(legOf(first, 'family-1'), 'middle');
    assert.equal(legOf(first, 'single-1'), 'middle');

    const boardedInput = { ...input, existingAssignments: board(first, ['aboard-1', 'aboard-2']) };
    const next = replanEvacuation(first, boardedInput, { kind: 'leg_cancelled', legId: 'middle' });
    const changedInput = {
      ...boardedInput,
      legs: boardedInput.legs.map((leg) => (leg.id === 'middle' ? { ...leg, cancelled: true } : leg)),
    };
    assert.deepEqual(
      checkPlan(changedInput, next, { maxDistanceKm: 50, previousPlan: first, checkNobodyLeftBehind: true }),
      [],
    );
    assert.equal(legOf(next, 'aboard-1'), 'early');
    assert.equal(next.assignments.find((a) => a.evacueeId === 'aboard-1')?.boarded, true);
    assert.equal(legOf(next, 'medical-1'), 'early');
    assert.equal(legOf(next, 'family-1'), 'late');
    assert.equal(next.unassigned.find((u) => u.evacueeId === 'single-1')?.reason, 'capacity_exhausted');
    assert.ok(next.assignments.every((a) => a.legId !== 'middle'));
  });

  test('moves the people of a cancelled leg to the places still free, most vulnerable first', () => {
    const input = operation({
      households: [household('medical', 2, { vulnerabilities: ['medical'] }), household('other', 2)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [
        legFrom('bus-1', 'ap', { departsAt: NOW + 2 * HOUR, seats: 2 }),
        legFrom('bus-2', 'ap', { departsAt: NOW + 3 * HOUR, seats: 2 }),
        legFrom('spare', 'ap', { departsAt: NOW + 9 * HOUR, seats: 2 }),
      ],
    });
    const first = planEvacuation(input);
    assert.equal(legOf(first, 'medical-1'), 'bus-1');
    assert.equal(legOf(first, 'other-1'), 'bus-2');

    const next = replanEvacuation(first, input, { kind: 'leg_cancelled', legId: 'bus-1' });
    // The other household keeps its bus; the medical household takes the spare leg, not its seats.
    assert.equal(legOf(next, 'other-1'), 'bus-2');
    assert.equal(legOf(next, 'medical-1'), 'spare');
  });

  test('fills an added leg from the waiting list without moving anyone already placed', () => {
    const input = operation({
      households: [household('placed', 2), household('waiting', 2, { vulnerabilities: ['pregnant'] })],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('late', 'ap', { departsAt: NOW + 20 * HOUR, seats: 2 })],
      existingAssignments: [],
    });
    const first = planEvacuation({
      ...input,
      evacuees: input.evacuees.filter((e) => e.groupId === 'placed'),
      groups: input.groups.filter((g) => g.id === 'placed'),
    });
    assert.equal(legOf(first, 'placed-1'), 'late');

    const added = legFrom('extra', 'ap', { departsAt: NOW + HOUR, seats: 2 });
    const next = replanEvacuation(first, input, { kind: 'leg_added', leg: added });
    assert.equal(legOf(next, 'placed-1'), 'late');
    assert.equal(legOf(next, 'waiting-1'), 'extra');
  });

  test('releases no-shows: their seats go to the waiting, and they are planned on another leg', () => {
    const input = operation({
      households: [household('no-show', 2, { vulnerabilities: ['disability'] }), household('waiting', 2)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [
        legFrom('bus', 'ap', { departsAt: NOW + HOUR, seats: 2 }),
        legFrom('later', 'ap', { departsAt: NOW + 30 * HOUR, seats: 2 }),
      ],
    });
    const first = planEvacuation(input);
    assert.equal(legOf(first, 'no-show-1'), 'bus');
    assert.equal(legOf(first, 'waiting-1'), 'later');

    const next = replanEvacuation(first, input, {
      kind: 'no_shows_released',
      evacueeIds: ['no-show-1', 'no-show-2'],
    });
    assert.deepEqual(
      checkPlan(input, next, {
        maxDistanceKm: 50,
        previousPlan: first,
        releasedEvacueeIds: ['no-show-1', 'no-show-2'],
        checkNobodyLeftBehind: true,
      }),
      [],
    );
    // The waiting household keeps its leg (no reshuffle); the freed bus seats stay open for others,
    // and the no-shows are not put back on the bus they missed.
    assert.equal(legOf(next, 'waiting-1'), 'later');
    assert.equal(next.unassigned.find((u) => u.evacueeId === 'no-show-1')?.reason, 'capacity_exhausted');
  });

  test('keeps an assignment whose gathering time has passed while its leg has not left', () => {
    const input = operation({
      households: [household('travelling', 2)],
      assemblyPoints: [assemblyPoint('ap')],
      hubs: [hub('airport', ['ap'], 120)],
      legs: [legFromHub('flight', 'airport', { mode: 'flight', departsAt: NOW + 3 * HOUR })],
    });
    const first = planEvacuation(input);
    assert.equal(legOf(first, 'travelling-1'), 'flight');
    // Ninety minutes on, the two-hour transfer has started: too late for a new assignment, not for them.
    const later = { ...input, now: NOW + 1.5 * HOUR };
    const next = replanEvacuation(first, later, {
      kind: 'leg_added',
      leg: legFrom('bus', 'ap', { departsAt: NOW + 5 * HOUR }),
    });
    assert.equal(legOf(next, 'travelling-1'), 'flight');
    assert.deepEqual(checkPlan(later, next, { maxDistanceKm: 50, previousPlan: first }), []);
    const fresh = planEvacuation(later);
    assert.equal(fresh.unassigned.length, 2);
  });

  test('drops an assignment whose leg has departed since, and re-plans the group', () => {
    const input = operation({
      households: [household('missed', 2)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [
        legFrom('bus', 'ap', { departsAt: NOW + 2 * HOUR }),
        legFrom('next', 'ap', { departsAt: NOW + 8 * HOUR }),
      ],
    });
    const first = planEvacuation(input);
    assert.equal(legOf(first, 'missed-1'), 'bus');
    const later = { ...input, now: NOW + 3 * HOUR };
    const next = replanEvacuation(first, later, {
      kind: 'leg_added',
      leg: legFrom('extra', 'ap', { departsAt: NOW + 20 * HOUR }),
    });
    assert.equal(legOf(next, 'missed-1'), 'next');
  });

  test('refuses to cancel a leg that is not in the operation, or one with people aboard', () => {
    const input = baseInput();
    const first = planEvacuation(input);
    assert.throws(
      () => replanEvacuation(first, input, { kind: 'leg_cancelled', legId: 'ghost' }),
      (error: unknown) => error instanceof EvacuationInputError && error.code === 'evacuation.unknown_leg',
    );
    const boardedInput = { ...input, existingAssignments: board(first, ['aboard-1']) };
    assert.throws(
      () =>
        replanEvacuation(first, boardedInput, { kind: 'leg_cancelled', legId: legOf(first, 'aboard-1')! }),
      (error: unknown) =>
        error instanceof EvacuationInputError && error.code === 'evacuation.boarded_leg_cancelled',
    );
  });
});
