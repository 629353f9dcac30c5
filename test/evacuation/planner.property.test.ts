import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type {
  EvacuationInput,
  EvacuationPlan,
  ExistingAssignment,
  PlanChange,
} from '../../src/domain/evacuation/evacuation-types.ts';
import { planEvacuation, replanEvacuation } from '../../src/domain/evacuation/plan-evacuation.ts';
import { NOW } from './instance-builders.ts';
import { checkPlan } from './plan-checker.ts';
import { randomOperation, randomReplanChoices } from './random-instances.ts';

const RUNS = 300;

/** Boards the chosen groups (all of each, or only its first member) as a scanner would record it. */
function boardSome(
  plan: EvacuationPlan,
  boardedGroups: readonly boolean[],
  partial: boolean,
): ExistingAssignment[] {
  const groupIds = [...new Set(plan.assignments.map((a) => a.groupId))];
  const chosen = new Set(groupIds.filter((_, index) => boardedGroups[index % boardedGroups.length]));
  const boardedFirst = new Set<string>();
  return plan.assignments
    .filter((a) => {
      if (!chosen.has(a.groupId)) return false;
      if (!partial) return true;
      if (boardedFirst.has(a.groupId)) return false;
      boardedFirst.add(a.groupId);
      return true;
    })
    .map((a) => ({
      evacueeId: a.evacueeId,
      legId: a.legId,
      assemblyPointId: a.assemblyPointId,
      seat: a.seat,
      boarded: true,
    }));
}

describe('planner properties over random operations', () => {
  test('every plan keeps every hard rule, accounts for everyone and leaves nobody behind with room', () => {
    fc.assert(
      fc.property(randomOperation, ({ input, maxDistanceKm }) => {
        const plan = planEvacuation(input, { maxDistanceKm });
        assert.deepEqual(checkPlan(input, plan, { maxDistanceKm, checkNobodyLeftBehind: true }), []);
        assert.equal(plan.assignments.length + plan.unassigned.length, input.evacuees.length);
        const counted = Object.values(plan.summary.unassignedByReason).reduce((sum, n) => sum + n, 0);
        assert.equal(counted, plan.unassigned.length);
      }),
      { numRuns: RUNS },
    );
  });

  test('a re-plan keeps the rules, never moves the boarded and keeps every assignment still valid', () => {
    fc.assert(
      fc.property(randomOperation, randomReplanChoices, ({ input, maxDistanceKm }, choices) => {
        const first = planEvacuation(input, { maxDistanceKm });
        const existingAssignments = boardSome(first, choices.boardedGroups, choices.partialBoarding);
        const boardedLegs = new Set(existingAssignments.map((a) => a.legId));
        const boardedIds = new Set(existingAssignments.map((a) => a.evacueeId));
        const current: EvacuationInput = { ...input, existingAssignments };

        let change: PlanChange;
        let changed: EvacuationInput = current;
        let released: string[] = [];
        const cancellable = input.legs.filter((leg) => !boardedLegs.has(leg.id));
        if (choices.change === 'leg_cancelled' && cancellable.length > 0) {
          const leg = cancellable[choices.pick % cancellable.length]!;
          change = { kind: 'leg_cancelled', legId: leg.id };
          changed = {
            ...current,
            legs: current.legs.map((l) => (l.id === leg.id ? { ...l, cancelled: true } : l)),
          };
        } else if (choices.change === 'no_shows_released') {
          const waiting = first.assignments.filter((a) => !boardedIds.has(a.evacueeId));
          released = waiting.filter((_, index) => (index + choices.pick) % 3 === 0).map((a) => a.evacueeId);
          change = { kind: 'no_shows_released', evacueeIds: released };
        } else {
          const points = input.assemblyPoints;
          const leg = {
            id: 'added-leg',
            mode: 'bus' as const,
            origin: {
              kind: 'assembly_point' as const,
              assemblyPointId: points[choices.newLeg.originIndex % points.length]!.id,
            },
            destination: 'home',
            departsAt: Math.max(NOW, choices.newLeg.departsAt),
            seats: choices.newLeg.seats,
            medicalSeats: Math.min(choices.newLeg.medicalSeats, choices.newLeg.seats),
            cancelled: false,
          };
          change = { kind: 'leg_added', leg };
          changed = { ...current, legs: [...current.legs, leg] };
        }

        const next = replanEvacuation(first, current, change);
        assert.deepEqual(
          checkPlan(changed, next, {
            maxDistanceKm,
            previousPlan: first,
            releasedEvacueeIds: released,
            checkNobodyLeftBehind: true,
          }),
          [],
        );
        // Nobody whose leg still runs, and who was not released, is moved.
        const cancelledLeg = change.kind === 'leg_cancelled' ? change.legId : null;
        const releasedGroups = new Set(
          first.assignments.filter((a) => released.includes(a.evacueeId)).map((a) => a.groupId),
        );
        const after = new Map(next.assignments.map((a) => [a.evacueeId, a]));
        for (const before of first.assignments) {
          if (before.legId === cancelledLeg || releasedGroups.has(before.groupId)) continue;
          const now = after.get(before.evacueeId);
          assert.equal(now?.legId, before.legId, `${before.evacueeId} was moved`);
          assert.equal(now?.assemblyPointId, before.assemblyPointId);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
