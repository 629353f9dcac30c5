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
  offset,
  operation,
} from '../../../test/evacuation/instance-builders.ts';
import { checkPlan } from '../../../test/evacuation/plan-checker.ts';
import { EvacuationInputError } from './evacuation-error.ts';
import type { EvacuationInput, EvacuationPlan } from './evacuation-types.ts';
import { planEvacuation } from './plan-evacuation.ts';

function legOf(plan: EvacuationPlan, evacueeId: string): string | undefined {
  return plan.assignments.find((a) => a.evacueeId === evacueeId)?.legId;
}

function reasonOf(plan: EvacuationPlan, evacueeId: string): string | undefined {
  return plan.unassigned.find((u) => u.evacueeId === evacueeId)?.reason;
}

function planAndCheck(input: EvacuationInput): EvacuationPlan {
  const plan = planEvacuation(input);
  assert.deepEqual(checkPlan(input, plan, { maxDistanceKm: 50, checkNobodyLeftBehind: true }), []);
  return plan;
}

describe('planEvacuation', () => {
  test('keeps a household together on one leg, or leaves it whole', () => {
    const input = operation({
      households: [household('family', 4), household('couple', 2, { vulnerabilities: ['pregnant'] })],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('small', 'ap', { seats: 5 })],
    });
    const plan = planAndCheck(input);
    // The couple outranks the family; the four of them no longer fit in the three seats left.
    assert.equal(legOf(plan, 'couple-1'), 'small');
    assert.equal(legOf(plan, 'couple-2'), 'small');
    for (let member = 1; member <= 4; member++) {
      assert.equal(reasonOf(plan, `family-${member}`), 'capacity_exhausted');
    }
  });

  test('gives a group larger than any leg a reason, not an error, and still plans the others', () => {
    const input = operation({
      households: [household('big', 12), household('single', 1)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('bus', 'ap', { seats: 10 })],
    });
    const plan = planAndCheck(input);
    assert.equal(reasonOf(plan, 'big-1'), 'group_larger_than_any_leg');
    assert.equal(plan.summary.unassignedByReason.group_larger_than_any_leg, 12);
    assert.equal(legOf(plan, 'single-1'), 'bus');
  });

  test('warns about an assembly point with no legs and explains who it strands', () => {
    const input = operation({
      households: [household('near-empty', 2, offset(100, 0)), household('near-bus', 1)],
      assemblyPoints: [assemblyPoint('ap-bus'), assemblyPoint('ap-empty', offset(100, 0))],
      legs: [legFrom('bus', 'ap-bus')],
    });
    const plan = planAndCheck(input);
    assert.deepEqual(
      plan.warnings.filter((w) => w.code === 'evacuation.assembly_point_without_legs'),
      [{ code: 'evacuation.assembly_point_without_legs', subjectId: 'ap-empty' }],
    );
    assert.equal(reasonOf(plan, 'near-empty-1'), 'no_leg_within_distance');
    assert.equal(legOf(plan, 'near-bus-1'), 'bus');
  });

  test('skips legs that departed before the plan time, with a warning', () => {
    const input = operation({
      households: [household('late', 2)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('gone', 'ap', { departsAt: NOW - HOUR })],
    });
    const plan = planAndCheck(input);
    assert.equal(plan.assignments.length, 0);
    assert.equal(reasonOf(plan, 'late-1'), 'no_leg_within_distance');
    assert.ok(plan.warnings.some((w) => w.code === 'evacuation.leg_departed' && w.subjectId === 'gone'));
  });

  test('boards someone awaiting a travel document only on a leg leaving after it is ready', () => {
    const readyAt = NOW + 5 * HOUR;
    const input = operation({
      households: [
        household('waiting', 2, { documentReadyAt: readyAt }),
        household('never', 1, { documentReadyAt: Number.POSITIVE_INFINITY }),
      ],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [
        legFrom('early', 'ap', { departsAt: NOW + 2 * HOUR }),
        legFrom('on-time', 'ap', { departsAt: readyAt }),
      ],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'waiting-1'), 'on-time');
    assert.equal(reasonOf(plan, 'never-1'), 'documents_not_ready');
  });

  test('one member awaiting a document holds the whole household to later legs', () => {
    const family = household('family', 3);
    family.members[2] = { ...family.members[2]!, documentReadyAt: NOW + 10 * HOUR };
    const input = operation({
      households: [family],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('early', 'ap', { departsAt: NOW + HOUR })],
    });
    const plan = planAndCheck(input);
    assert.equal(reasonOf(plan, 'family-1'), 'documents_not_ready');
  });

  test('reserves medical places for medical cases and seats stretcher cases only there', () => {
    const input = operation({
      households: [
        household('stretcher', 1, { needsMedicalSeat: true }),
        household('medical', 1, { vulnerabilities: ['medical'] }),
        household('others', 3),
      ],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('ambulance-bus', 'ap', { seats: 5, medicalSeats: 2 })],
    });
    const plan = planAndCheck(input);
    const seatOf = (id: string) => plan.assignments.find((a) => a.evacueeId === id)?.seat;
    assert.equal(seatOf('stretcher-1'), 'medical');
    // Regular places first for someone who may use either, keeping the medical place free.
    assert.equal(seatOf('medical-1'), 'regular');
    // Three others cannot use the medical place left: two regular places are not enough.
    assert.equal(reasonOf(plan, 'others-1'), 'capacity_exhausted');
    assert.equal(plan.legLoads[0]!.medicalSeatsUsed, 1);
  });

  test('lets a medical case overflow into a medical place when regular places run out', () => {
    const input = operation({
      households: [household('medical', 2, { vulnerabilities: ['medical'] })],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('bus', 'ap', { seats: 2, medicalSeats: 1 })],
    });
    const plan = planAndCheck(input);
    assert.deepEqual(plan.assignments.map((a) => a.seat).sort(), ['medical', 'regular']);
  });

  test('explains a stretcher case left without a medical place', () => {
    const input = operation({
      households: [household('stretcher', 1, { needsMedicalSeat: true })],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('bus', 'ap', { seats: 50, medicalSeats: 0 })],
    });
    const plan = planAndCheck(input);
    assert.equal(reasonOf(plan, 'stretcher-1'), 'no_medical_seat');
  });

  test('gives higher tiers the earlier departures', () => {
    const input = operation({
      households: [
        household('everyone-else', 2),
        household('survivor', 2, { vulnerabilities: ['trafficking_survivor'] }),
        household('child', 1, { vulnerabilities: ['unaccompanied_child'] }),
      ],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [
        legFrom('third', 'ap', { departsAt: NOW + 30 * HOUR, seats: 2 }),
        legFrom('first', 'ap', { departsAt: NOW + 2 * HOUR, seats: 2 }),
        legFrom('second', 'ap', { departsAt: NOW + 12 * HOUR, seats: 2 }),
      ],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'child-1'), 'first');
    assert.equal(legOf(plan, 'survivor-1'), 'second');
    assert.equal(legOf(plan, 'everyone-else-1'), 'third');
    const hours = plan.summary.tiers.map((t) => t.meanHoursToDeparture);
    assert.deepEqual(hours, [null, 2, null, null, 12, 30]);
  });

  test('a group takes the tier of its most vulnerable member', () => {
    const family = household('family', 3);
    family.members[1] = { ...family.members[1]!, vulnerabilities: ['pregnant'] };
    const input = operation({
      households: [family],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('bus', 'ap')],
    });
    const plan = planAndCheck(input);
    assert.deepEqual(
      plan.assignments.map((a) => a.tier),
      [3, 3, 3],
    );
    assert.equal(plan.summary.weightedEvacuated, 3 * 8);
  });

  test('never fills an assembly point past its capacity', () => {
    const input = operation({
      households: [household('first', 3, { vulnerabilities: ['disability'] }), household('second', 3)],
      assemblyPoints: [assemblyPoint('ap', { capacity: 4 })],
      legs: [legFrom('bus', 'ap')],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'first-1'), 'bus');
    assert.equal(reasonOf(plan, 'second-1'), 'capacity_exhausted');
    assert.equal(plan.assemblyPointLoads[0]!.people, 3);
  });

  test('prefers a near point to a far one for the same departure, within the maximum distance', () => {
    const input = operation({
      households: [household('home', 1), household('remote', 1, offset(0, 120))],
      assemblyPoints: [assemblyPoint('near', offset(2, 0)), assemblyPoint('far', offset(30, 0))],
      legs: [legFrom('from-near', 'near'), legFrom('from-far', 'far')],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'home-1'), 'from-near');
    assert.equal(reasonOf(plan, 'remote-1'), 'no_assembly_point_within_distance');
  });

  test('sends people who need step-free access only to accessible points', () => {
    const input = operation({
      households: [
        household('wheelchair', 1, { needsAccessibleSite: true }),
        household('stranded', 1, { ...offset(70, 0), needsMedicalSeat: true }),
      ],
      assemblyPoints: [
        assemblyPoint('steps', { accessible: false }),
        assemblyPoint('ramp', { ...offset(10, 0), accessible: true }),
        assemblyPoint('steps-north', { ...offset(60, 0), accessible: false }),
      ],
      legs: [
        legFrom('steps-bus', 'steps'),
        legFrom('ramp-bus', 'ramp', { departsAt: NOW + 20 * HOUR }),
        legFrom('north-bus', 'steps-north', { medicalSeats: 2 }),
      ],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'wheelchair-1'), 'ramp-bus');
    assert.equal(reasonOf(plan, 'stranded-1'), 'no_accessible_assembly_point_within_distance');
  });

  test('reaches a hub leg from the points the hub serves, leaving time for the transfer', () => {
    const input = operation({
      households: [household('flyer', 2)],
      assemblyPoints: [assemblyPoint('city-ap'), assemblyPoint('other-ap', offset(40, 0))],
      hubs: [hub('airport', ['city-ap'], 180)],
      legs: [
        legFromHub('too-soon', 'airport', { mode: 'flight', departsAt: NOW + 2 * HOUR }),
        legFromHub('flight', 'airport', { mode: 'flight', departsAt: NOW + 6 * HOUR }),
      ],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'flyer-1'), 'flight');
    assert.equal(plan.assignments[0]!.assemblyPointId, 'city-ap');
  });

  test('uses no cancelled leg', () => {
    const input = operation({
      households: [household('family', 2)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [
        legFrom('cancelled', 'ap', { cancelled: true }),
        legFrom('later', 'ap', { departsAt: NOW + 9 * HOUR }),
      ],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'family-1'), 'later');
  });

  test('keeps boarded people where they are and counts their seats', () => {
    const input = operation({
      households: [household('aboard', 2), household('waiting', 1)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('left', 'ap', { departsAt: NOW - HOUR, seats: 2 }), legFrom('bus', 'ap', { seats: 1 })],
      existingAssignments: [
        { evacueeId: 'aboard-1', legId: 'left', assemblyPointId: 'ap', seat: 'regular', boarded: true },
        { evacueeId: 'aboard-2', legId: 'left', assemblyPointId: 'ap', seat: 'regular', boarded: true },
      ],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'aboard-1'), 'left');
    assert.equal(plan.assignments.find((a) => a.evacueeId === 'aboard-1')?.boarded, true);
    assert.equal(legOf(plan, 'waiting-1'), 'bus');
    assert.equal(plan.summary.boarded, 2);
  });

  test('plans the members of a household not yet aboard together', () => {
    const input = operation({
      households: [household('split', 3)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('first', 'ap', { seats: 1 }), legFrom('second', 'ap', { departsAt: NOW + 5 * HOUR })],
      existingAssignments: [
        { evacueeId: 'split-1', legId: 'first', assemblyPointId: 'ap', seat: 'regular', boarded: true },
      ],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'split-2'), 'second');
    assert.equal(legOf(plan, 'split-3'), 'second');
  });

  test('moves people to another point to admit a group that only one point can serve', () => {
    // The flexible household reaches both points; the remote one only the first. Greedy order gives
    // the flexible (higher-tier) household the first point; the remote household still gets in.
    const input = operation({
      households: [
        household('flexible', 3, { ...offset(20, 0), vulnerabilities: ['pregnant'] }),
        household('remote', 3, offset(-25, 0)),
      ],
      assemblyPoints: [
        assemblyPoint('shared', { ...offset(0, 0), capacity: 3 }),
        assemblyPoint('north', { ...offset(40, 0), capacity: 10 }),
      ],
      legs: [legFrom('shared-bus', 'shared'), legFrom('north-bus', 'north', { departsAt: NOW + 8 * HOUR })],
    });
    const plan = planAndCheck(input);
    assert.equal(legOf(plan, 'remote-1'), 'shared-bus');
    assert.equal(legOf(plan, 'flexible-1'), 'north-bus');
  });
});

describe('planEvacuation on bad input', () => {
  const valid = (): EvacuationInput =>
    operation({
      households: [household('family', 2)],
      assemblyPoints: [assemblyPoint('ap')],
      legs: [legFrom('bus', 'ap')],
    });

  function assertCode(
    input: EvacuationInput,
    code: string,
    options?: Parameters<typeof planEvacuation>[1],
  ): void {
    assert.throws(
      () => planEvacuation(input, options),
      (error: unknown) => error instanceof EvacuationInputError && error.code === code,
    );
  }

  test('refuses a person listed in two groups', () => {
    const input = valid();
    const twin = { ...input.evacuees[0]!, groupId: 'other' };
    assertCode(
      {
        ...input,
        groups: [...input.groups, { id: 'other', kind: 'group' }],
        evacuees: [...input.evacuees, twin],
      },
      'evacuation.person_in_two_groups',
    );
  });

  test('refuses a person listed twice, an unknown group, bad seats and an unknown origin', () => {
    const input = valid();
    assertCode(
      { ...input, evacuees: [...input.evacuees, input.evacuees[0]!] },
      'evacuation.duplicate_evacuee',
    );
    assertCode({ ...input, groups: [] }, 'evacuation.unknown_group');
    assertCode(
      { ...input, legs: [legFrom('bus', 'ap', { seats: 2, medicalSeats: 3 })] },
      'evacuation.invalid_seats',
    );
    assertCode({ ...input, legs: [legFrom('bus', 'nowhere')] }, 'evacuation.unknown_leg_origin');
    assertCode(
      { ...input, assemblyPoints: [assemblyPoint('ap', { opensAt: NOW, closesAt: NOW - 1 })] },
      'evacuation.invalid_opening_hours',
    );
    assertCode(
      { ...input, evacuees: [{ ...input.evacuees[0]!, lat: 91 }] },
      'evacuation.invalid_coordinates',
    );
  });

  test('refuses bad options and an unordered tier scheme', () => {
    assertCode(valid(), 'evacuation.invalid_options', { maxDistanceKm: 0 });
    assertCode(valid(), 'evacuation.invalid_tier_scheme', {
      tiers: [
        { label: 'a', weight: 1, vulnerabilities: ['medical'] },
        { label: 'b', weight: 2, vulnerabilities: [] },
      ],
    });
  });

  test('refuses boarding records on a cancelled leg or beyond a leg’s places', () => {
    const input = valid();
    const boarded = (evacueeId: string) =>
      ({ evacueeId, legId: 'bus', assemblyPointId: 'ap', seat: 'regular', boarded: true }) as const;
    assertCode(
      {
        ...input,
        legs: [legFrom('bus', 'ap', { cancelled: true })],
        existingAssignments: [boarded('family-1')],
      },
      'evacuation.boarded_leg_cancelled',
    );
    assertCode(
      {
        ...input,
        legs: [legFrom('bus', 'ap', { seats: 1 })],
        existingAssignments: [boarded('family-1'), boarded('family-2')],
      },
      'evacuation.boarded_exceed_capacity',
    );
    assertCode(
      { ...input, existingAssignments: [{ ...boarded('family-1'), legId: 'ghost' }] },
      'evacuation.unknown_assignment_reference',
    );
  });

  test('never puts personal data in the error message', () => {
    const input = valid();
    try {
      planEvacuation({ ...input, evacuees: [...input.evacuees, input.evacuees[0]!] });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof EvacuationInputError);
      assert.equal(error.subjectId, 'family-1');
      assert.ok(!error.message.includes('family-1'));
    }
  });
});
