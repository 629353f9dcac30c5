// The checker guards the planner, so it is itself checked: a hand-written valid plan passes, and each
// way of breaking a rule is reported under that rule.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  EvacuationInput,
  EvacuationPlan,
  EvacueeAssignment,
  UnassignedEvacuee,
  UnassignedReason,
} from '../../src/domain/evacuation/evacuation-types.ts';
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
} from './instance-builders.ts';
import { type CheckRules, checkPlan, type PlanRule } from './plan-checker.ts';

const input: EvacuationInput = operation({
  households: [
    household('family', 2),
    household('stretcher', 1, { needsMedicalSeat: true }),
    household('waiting', 1, { documentReadyAt: NOW + 10 * HOUR }),
  ],
  assemblyPoints: [
    assemblyPoint('ap', { capacity: 4 }),
    assemblyPoint('closed', { closesAt: NOW + HOUR }),
    assemblyPoint('far', { ...offset(80, 0) }),
    assemblyPoint('steps', { accessible: false }),
  ],
  hubs: [hub('airport', ['ap'], 180)],
  legs: [
    legFrom('bus', 'ap', { seats: 3, medicalSeats: 1 }),
    legFrom('late-bus', 'ap', { departsAt: NOW + 12 * HOUR, seats: 1 }),
    legFrom('cancelled', 'ap', { cancelled: true }),
    legFrom('gone', 'ap', { departsAt: NOW - HOUR }),
    legFrom('closed-bus', 'closed', { departsAt: NOW + 5 * HOUR }),
    legFrom('far-bus', 'far'),
    legFrom('steps-bus', 'steps', { medicalSeats: 2 }),
    legFromHub('soon-flight', 'airport', { departsAt: NOW + 2 * HOUR }),
  ],
});

const rules: CheckRules = { maxDistanceKm: 50, checkNobodyLeftBehind: true };

function seat(
  evacueeId: string,
  groupId: string,
  legId: string,
  overrides: Partial<EvacueeAssignment> = {},
): EvacueeAssignment {
  const leg = input.legs.find((l) => l.id === legId)!;
  return {
    evacueeId,
    groupId,
    tier: 6,
    assemblyPointId: leg.origin.kind === 'assembly_point' ? leg.origin.assemblyPointId : 'ap',
    legId,
    departsAt: leg.departsAt,
    seat: 'regular',
    boarded: false,
    ...overrides,
  };
}

function left(
  evacueeId: string,
  groupId: string,
  reason: UnassignedReason = 'capacity_exhausted',
): UnassignedEvacuee {
  return { evacueeId, groupId, tier: 6, reason };
}

function planOf(assignments: EvacueeAssignment[], unassigned: UnassignedEvacuee[]): EvacuationPlan {
  return {
    plannedAt: NOW,
    settings: { maxDistanceKm: 50, tiers: [], kmWorthOneHour: 10 },
    assignments,
    unassigned,
    legLoads: [],
    assemblyPointLoads: [],
    warnings: [],
    summary: {
      people: 0,
      assigned: 0,
      boarded: 0,
      unassigned: 0,
      weightedEvacuated: 0,
      weightedDemand: 0,
      unassignedByReason: {},
      tiers: [],
      meanDistanceKm: null,
    },
  };
}

const validAssignments = (): EvacueeAssignment[] => [
  seat('family-1', 'family', 'bus'),
  seat('family-2', 'family', 'bus'),
  seat('stretcher-1', 'stretcher', 'bus', { seat: 'medical' }),
  seat('waiting-1', 'waiting', 'late-bus'),
];

function rulesBroken(
  plan: EvacuationPlan,
  checkRules: CheckRules = rules,
  on: EvacuationInput = input,
): PlanRule[] {
  return [...new Set(checkPlan(on, plan, checkRules).map((v) => v.rule))].sort();
}

describe('checkPlan', () => {
  test('finds nothing wrong with a valid plan', () => {
    assert.deepEqual(checkPlan(input, planOf(validAssignments(), []), rules), []);
  });

  test('reports people missing, counted twice or unknown', () => {
    const all = validAssignments();
    assert.deepEqual(rulesBroken(planOf(all.slice(0, 3), [])), ['person_accounted_once']);
    assert.deepEqual(rulesBroken(planOf(all, [left('family-1', 'family')])), ['person_accounted_once']);
    assert.deepEqual(rulesBroken(planOf([...validAssignments(), seat('ghost', 'family', 'bus')], [])), [
      'unknown_reference',
    ]);
  });

  test('reports a split group', () => {
    const assignments = validAssignments().slice(0, 3);
    assignments[1] = seat('family-2', 'family', 'late-bus');
    const plan = planOf(assignments, [left('waiting-1', 'waiting')]);
    assert.deepEqual(rulesBroken(plan, { maxDistanceKm: 50 }), ['group_kept_together']);
  });

  test('reports seats and point capacity exceeded', () => {
    const input4 = operation({
      households: [household('a', 2), household('b', 3)],
      assemblyPoints: [assemblyPoint('ap', { capacity: 4 })],
      legs: [legFrom('bus', 'ap', { seats: 4 })],
    });
    const plan = planOf(
      [
        seat('a-1', 'a', 'bus'),
        seat('a-2', 'a', 'bus'),
        seat('b-1', 'b', 'bus'),
        seat('b-2', 'b', 'bus'),
        seat('b-3', 'b', 'bus'),
      ],
      [],
    );
    assert.deepEqual(rulesBroken(plan, rules, input4), ['leg_seats', 'point_capacity']);
  });

  test('reports medical places misused or withheld', () => {
    const misused = validAssignments();
    misused[0] = seat('family-1', 'family', 'bus', { seat: 'medical' });
    misused[2] = seat('stretcher-1', 'stretcher', 'bus');
    assert.deepEqual(rulesBroken(planOf(misused, [])), ['medical_seat_eligible', 'medical_seat_required']);
  });

  test('reports cancelled, departed, unreachable and closed legs, and passed gathering times', () => {
    const cases: [EvacueeAssignment, PlanRule[]][] = [
      [seat('waiting-1', 'waiting', 'cancelled'), ['cancelled_leg_empty', 'documents_ready']],
      [seat('waiting-1', 'waiting', 'gone'), ['documents_ready', 'gathering_not_passed', 'no_departed_leg']],
      [seat('waiting-1', 'waiting', 'late-bus', { assemblyPointId: 'closed' }), ['leg_serves_point']],
      [seat('waiting-1', 'waiting', 'closed-bus'), ['documents_ready', 'point_open_at_gathering']],
      [seat('waiting-1', 'waiting', 'soon-flight'), ['documents_ready', 'gathering_not_passed']],
    ];
    for (const [assignment, expected] of cases) {
      const plan = planOf([...validAssignments().slice(0, 3), assignment], []);
      assert.deepEqual(rulesBroken(plan, { maxDistanceKm: 50 }), expected, assignment.legId);
    }
  });

  test('lets a carried-over assignment keep a gathering time that has passed', () => {
    const flight = seat('waiting-1', 'waiting', 'soon-flight');
    const onTime = { ...input, evacuees: input.evacuees.map((e) => ({ ...e, documentReadyAt: null })) };
    const plan = planOf([...validAssignments().slice(0, 3), flight], []);
    assert.deepEqual(rulesBroken(plan, { maxDistanceKm: 50 }, onTime), ['gathering_not_passed']);
    assert.deepEqual(rulesBroken(plan, { maxDistanceKm: 50, previousPlan: plan }, onTime), []);
  });

  test('reports points out of reach or without step-free access', () => {
    const far = planOf([...validAssignments().slice(0, 3), seat('waiting-1', 'waiting', 'far-bus')], []);
    assert.deepEqual(rulesBroken(far, { maxDistanceKm: 50 }), ['documents_ready', 'within_distance']);
    const steps = validAssignments();
    steps[2] = seat('stretcher-1', 'stretcher', 'steps-bus', { seat: 'medical' });
    assert.deepEqual(rulesBroken(planOf(steps, []), { maxDistanceKm: 50 }), ['accessible_point']);
  });

  test('reports a boarded person moved, and someone marked boarded without a record', () => {
    const boardedInput: EvacuationInput = {
      ...input,
      existingAssignments: [
        { evacueeId: 'family-1', legId: 'bus', assemblyPointId: 'ap', seat: 'regular', boarded: true },
      ],
    };
    const moved = validAssignments();
    moved[0] = seat('family-1', 'family', 'late-bus', { boarded: true });
    assert.ok(
      rulesBroken(planOf(moved, []), { maxDistanceKm: 50 }, boardedInput).includes('boarded_not_moved'),
    );
    const invented = validAssignments();
    invented[3] = seat('waiting-1', 'waiting', 'late-bus', { boarded: true });
    assert.deepEqual(rulesBroken(planOf(invented, []), { maxDistanceKm: 50 }), ['boarded_not_moved']);
  });

  test('reports an unknown reason and a group left behind while a leg had room', () => {
    const unknown = planOf(validAssignments().slice(0, 3), [
      { ...left('waiting-1', 'waiting'), reason: 'weather' as UnassignedReason },
    ]);
    assert.deepEqual(rulesBroken(unknown), ['nobody_left_behind_with_room', 'reason_known']);
    // With the late bus taken, the waiting person has nowhere to go: leaving them is right.
    const input2 = { ...input, legs: input.legs.filter((l) => l.id !== 'late-bus') };
    assert.deepEqual(
      rulesBroken(planOf(validAssignments().slice(0, 3), [left('waiting-1', 'waiting')]), rules, input2),
      [],
    );
  });

  test('does not count a missed leg as room for a released no-show', () => {
    const previous = planOf(validAssignments(), []);
    const plan = planOf(validAssignments().slice(0, 3), [left('waiting-1', 'waiting')]);
    assert.deepEqual(rulesBroken(plan, { ...rules, previousPlan: previous }), [
      'nobody_left_behind_with_room',
    ]);
    assert.deepEqual(
      rulesBroken(plan, { ...rules, previousPlan: previous, releasedEvacueeIds: ['waiting-1'] }),
      [],
    );
  });
});
