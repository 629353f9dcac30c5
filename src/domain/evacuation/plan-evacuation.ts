import { AssignmentEngine, type PlacementSnapshot } from './assignment-engine.ts';
import { EvacuationInputError } from './evacuation-error.ts';
import {
  type CompiledOperation,
  compileOperation,
  MEDICAL_MAY,
  MEDICAL_MUST,
  resolvePlanningSettings,
} from './evacuation-model.ts';
import type {
  EvacuationInput,
  EvacuationPlan,
  EvacueeAssignment,
  PlanChange,
  PlanningOptions,
  SeatKind,
  TierSummary,
  UnassignedEvacuee,
  UnassignedReason,
} from './evacuation-types.ts';
import { admitByRelocation } from './relocation-repair.ts';
import { raiseScarcityPrices } from './scarcity-prices.ts';

const HOUR_MS = 3_600_000;

type PreviousSeat = { leg: number; point: number; seat: SeatKind };
type KeptPlacement = { group: number; point: number; leg: number; mayInMedical: number };

/** Planning rounds: each starts afresh with scarce points and legs dearer; the best round is kept. */
const PRICING_ROUNDS = 4;
/** Price, in hours, of a point or leg whose waiting demand equalled its whole capacity. */
const HOURS_AT_FULL_PRESSURE = 96;

/**
 * Assigns every group that can travel to an assembly point and a leg, most vulnerable first.
 *
 * Groups are taken tier by tier (within a tier the most constrained first) and each gets the option
 * with the earliest departure, traded against distance to the point. A few rounds follow in which the
 * points and legs that left people waiting cost more, so that groups with other choices leave them to
 * those without; the round that evacuates the most priority-weighted people is kept, and a repair pass
 * moves people between options to admit groups still waiting. Boarded people (from
 * `input.existingAssignments`) stay where they are; everyone else is planned afresh.
 * Throws {@link EvacuationInputError} on unusable input.
 */
export function planEvacuation(input: EvacuationInput, options?: PlanningOptions): EvacuationPlan {
  const settings = resolvePlanningSettings(options);
  const model = compileOperation(input, settings);
  const engine = new AssignmentEngine(model);
  placeGroups(engine, engine.sortByPriority(allTravellingGroups(model)), []);
  return buildPlan(engine);
}

/**
 * Places `groups` after the `kept` placements (re-made at the start of every round), with pricing
 * rounds and a final repair pass. Leaves the engine holding the result.
 */
function placeGroups(
  engine: AssignmentEngine,
  groups: readonly number[],
  kept: readonly KeptPlacement[],
): void {
  let bestValue = -1;
  let best: PlacementSnapshot | null = null;
  let bestIsCurrent = false;
  for (let round = 0; round < PRICING_ROUNDS; round++) {
    if (round > 0) {
      engine.reset();
      for (const { group, point, leg, mayInMedical } of kept) engine.keep(group, point, leg, mayInMedical);
    }
    const left = engine.placeInOrder(groups);
    const value = engine.weightedPlaced();
    bestIsCurrent = value > bestValue;
    if (bestIsCurrent) {
      bestValue = value;
      best = engine.snapshot();
    }
    if (left.length === 0) break;
    if (round < PRICING_ROUNDS - 1) raiseScarcityPrices(engine, left, HOURS_AT_FULL_PRESSURE);
  }
  if (!bestIsCurrent && best !== null) engine.restoreSnapshot(best);
  const waiting = groups.filter((group) => engine.groupLeg[group]! < 0);
  engine.placeInOrder(admitByRelocation(engine, waiting));
}

/**
 * Re-plans after a change without disturbing what still works: boarded people never move; everyone
 * else keeps their point, leg and kind of seat wherever every rule still holds (checked most urgent
 * first), and nothing later moves them; freed or new places go to the waiting groups by priority.
 * No-shows lose the leg they missed and are planned again on other legs. `input` is the operation as
 * it stands before `change` is applied (boarding records included). Uses the previous plan's settings
 * unless `options` are given. Throws {@link EvacuationInputError} on unusable input.
 */
export function replanEvacuation(
  previousPlan: EvacuationPlan,
  input: EvacuationInput,
  change: PlanChange,
  options?: PlanningOptions,
): EvacuationPlan {
  const settings = resolvePlanningSettings(options ?? previousPlan.settings);
  const changedInput = applyChange(input, change);
  const model = compileOperation(changedInput, settings);

  const released = new Set(change.kind === 'no_shows_released' ? change.evacueeIds : []);
  const excludedLegs = new Map<number, Set<number>>();
  const previous = new Map<number, PreviousSeat>();
  for (const assignment of previousPlan.assignments) {
    const evacuee = model.evacueeIndex.get(assignment.evacueeId);
    const leg = model.legIndex.get(assignment.legId);
    const point = model.assemblyPointIndex.get(assignment.assemblyPointId);
    if (evacuee === undefined || leg === undefined || point === undefined) continue;
    if (released.has(assignment.evacueeId)) {
      const group = model.evacueeGroup[evacuee]!;
      const legs = excludedLegs.get(group) ?? new Set<number>();
      legs.add(leg);
      excludedLegs.set(group, legs);
      continue;
    }
    previous.set(evacuee, { leg, point, seat: assignment.seat });
  }

  const engine = new AssignmentEngine(model, excludedLegs);
  const kept: KeptPlacement[] = [];
  for (let group = 0; group < model.groupIds.length; group++) {
    const holding = commonHolding(model, group, previous);
    if (holding !== null && !excludedLegs.has(group)) kept.push({ group, ...holding });
  }
  kept.sort(
    (a, b) =>
      model.groupTier[a.group]! - model.groupTier[b.group]! ||
      model.legDepartsAt[a.leg]! - model.legDepartsAt[b.leg]! ||
      a.group - b.group,
  );
  const keptPlacements: KeptPlacement[] = [];
  for (const holding of kept) {
    if (engine.canKeep(holding.group, holding.point, holding.leg, holding.mayInMedical)) {
      engine.keep(holding.group, holding.point, holding.leg, holding.mayInMedical);
      keptPlacements.push(holding);
    }
  }
  const waiting = allTravellingGroups(model).filter((group) => engine.groupLeg[group]! < 0);
  placeGroups(engine, engine.sortByPriority(waiting), keptPlacements);
  return buildPlan(engine);
}

/** The input as it stands after `change`; throws `evacuation.unknown_leg` for a leg that does not exist. */
function applyChange(input: EvacuationInput, change: PlanChange): EvacuationInput {
  switch (change.kind) {
    case 'leg_cancelled': {
      if (!input.legs.some((leg) => leg.id === change.legId)) {
        throw new EvacuationInputError(
          'evacuation.unknown_leg',
          'The cancelled leg is not in the operation',
          change.legId,
        );
      }
      return {
        ...input,
        legs: input.legs.map((leg) => (leg.id === change.legId ? { ...leg, cancelled: true } : leg)),
      };
    }
    case 'leg_added': {
      const others = input.legs.filter((leg) => leg.id !== change.leg.id);
      return { ...input, legs: [...others, change.leg] };
    }
    case 'no_shows_released': {
      const released = new Set(change.evacueeIds);
      const existing = input.existingAssignments ?? [];
      return {
        ...input,
        existingAssignments: existing.filter((a) => !(released.has(a.evacueeId) && !a.boarded)),
      };
    }
  }
}

/**
 * The leg and point that every traveller of the group held in the previous plan, if they all held the
 * same, with how many of its "may use" travellers sat in medical places.
 */
function commonHolding(
  model: CompiledOperation,
  group: number,
  previous: ReadonlyMap<number, PreviousSeat>,
): Omit<KeptPlacement, 'group'> | null {
  const from = model.travellerStart[group]!;
  const to = model.travellerStart[group + 1]!;
  if (from === to) return null;
  const first = previous.get(model.travellers[from]!);
  if (first === undefined) return null;
  let mayInMedical = 0;
  for (let slot = from; slot < to; slot++) {
    const traveller = model.travellers[slot]!;
    const holding = previous.get(traveller);
    if (holding === undefined || holding.leg !== first.leg || holding.point !== first.point) return null;
    if (holding.seat === 'medical' && model.evacueeMedical[traveller] === MEDICAL_MAY) mayInMedical++;
  }
  return { leg: first.leg, point: first.point, mayInMedical };
}

function allTravellingGroups(model: CompiledOperation): number[] {
  const groups: number[] = [];
  for (let group = 0; group < model.groupIds.length; group++) {
    if (model.travellerStart[group + 1]! > model.travellerStart[group]!) groups.push(group);
  }
  return groups;
}

function buildPlan(engine: AssignmentEngine): EvacuationPlan {
  const { model } = engine;
  const tiers = model.settings.tiers;
  const weightOf = (tier: number): number => tiers[tier - 1]!.weight;
  const assignments: EvacueeAssignment[] = [];
  const unassigned: UnassignedEvacuee[] = [];
  const unassignedByReason: Partial<Record<UnassignedReason, number>> = {};
  const tierPeople = new Float64Array(tiers.length + 1);
  const tierAssigned = new Float64Array(tiers.length + 1);
  const tierWaiting = new Float64Array(tiers.length + 1);
  const tierHours = new Float64Array(tiers.length + 1);
  let weightedEvacuated = 0;
  let weightedDemand = 0;
  let distanceTotal = 0;
  let waitingAssigned = 0;

  for (const boarding of model.boardings) {
    const group = model.evacueeGroup[boarding.evacuee]!;
    const tier = model.groupTier[group]!;
    assignments.push({
      evacueeId: model.evacueeIds[boarding.evacuee]!,
      groupId: model.groupIds[group]!,
      tier,
      assemblyPointId: model.assemblyPointIds[boarding.assemblyPoint]!,
      legId: model.legIds[boarding.leg]!,
      departsAt: model.legDepartsAt[boarding.leg]!,
      seat: boarding.seat,
      boarded: true,
    });
    tierPeople[tier]!++;
    tierAssigned[tier]!++;
    weightedEvacuated += weightOf(tier);
    weightedDemand += weightOf(tier);
  }

  for (let group = 0; group < model.groupIds.length; group++) {
    const from = model.travellerStart[group]!;
    const to = model.travellerStart[group + 1]!;
    if (from === to) continue;
    const tier = model.groupTier[group]!;
    const size = to - from;
    const weight = weightOf(tier);
    tierPeople[tier]! += size;
    weightedDemand += weight * size;
    const leg = engine.groupLeg[group]!;
    if (leg < 0) {
      const reason = engine.reasonFor(group);
      unassignedByReason[reason] = (unassignedByReason[reason] ?? 0) + size;
      for (let slot = from; slot < to; slot++) {
        unassigned.push({
          evacueeId: model.evacueeIds[model.travellers[slot]!]!,
          groupId: model.groupIds[group]!,
          tier,
          reason,
        });
      }
      continue;
    }
    const point = engine.groupPoint[group]!;
    const departsAt = model.legDepartsAt[leg]!;
    let mayInMedical = engine.groupMayInMedical[group]!;
    for (let slot = from; slot < to; slot++) {
      const member = model.travellers[slot]!;
      const medical = model.evacueeMedical[member]!;
      // "May use" travellers went to medical places only for the overflow the engine counted.
      let seat: 'regular' | 'medical' = 'regular';
      if (medical === MEDICAL_MUST) seat = 'medical';
      else if (medical === MEDICAL_MAY && mayInMedical > 0) {
        seat = 'medical';
        mayInMedical--;
      }
      assignments.push({
        evacueeId: model.evacueeIds[member]!,
        groupId: model.groupIds[group]!,
        tier,
        assemblyPointId: model.assemblyPointIds[point]!,
        legId: model.legIds[leg]!,
        departsAt,
        seat,
        boarded: false,
      });
    }
    tierAssigned[tier]! += size;
    weightedEvacuated += weight * size;
    tierWaiting[tier]! += size;
    tierHours[tier]! += (size * (departsAt - model.now)) / HOUR_MS;
    distanceTotal += size * engine.meanDistanceToPoint(group, point);
    waitingAssigned += size;
  }

  const tierSummaries: TierSummary[] = tiers.map((definition, index) => {
    const tier = index + 1;
    return {
      tier,
      label: definition.label,
      people: tierPeople[tier]!,
      assigned: tierAssigned[tier]!,
      meanHoursToDeparture: tierWaiting[tier]! > 0 ? tierHours[tier]! / tierWaiting[tier]! : null,
    };
  });

  const legLoads = model.legIds.map((legId, leg) => ({
    legId,
    regularSeatsUsed: model.legSeats[leg]! - model.legMedicalSeats[leg]! - engine.regularFree[leg]!,
    medicalSeatsUsed: model.legMedicalSeats[leg]! - engine.medicalFree[leg]!,
  }));
  const assemblyPointLoads = model.assemblyPointIds.map((assemblyPointId, point) => ({
    assemblyPointId,
    people: model.pointCapacity[point]! - engine.pointFree[point]!,
  }));

  return {
    plannedAt: model.now,
    settings: model.settings,
    assignments,
    unassigned,
    legLoads,
    assemblyPointLoads,
    warnings: model.warnings,
    summary: {
      people: model.evacueeIds.length,
      assigned: assignments.length,
      boarded: model.boardings.length,
      unassigned: unassigned.length,
      weightedEvacuated,
      weightedDemand,
      unassignedByReason,
      tiers: tierSummaries,
      meanDistanceKm: waitingAssigned > 0 ? distanceTotal / waitingAssigned : null,
    },
  };
}
