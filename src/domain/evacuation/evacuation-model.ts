// Validates planner input and compiles it into flat, index-addressed arrays. The planner handles a
// hundred thousand people in a few seconds only because its inner loops touch typed arrays, never
// maps of objects.
import { EvacuationInputError } from './evacuation-error.ts';
import type {
  EvacuationInput,
  PlanningOptions,
  PlanningSettings,
  PlanWarning,
  SeatKind,
} from './evacuation-types.ts';
import {
  assertValidPriorityScheme,
  DEFAULT_PRIORITY_SCHEME,
  tierOfEvacuee,
  yearAt,
} from './priority-tiers.ts';

const MINUTE_MS = 60_000;

/** Medical seat use of one person: may not use one, may use one, must use one. */
export const MEDICAL_NONE = 0;
export const MEDICAL_MAY = 1;
export const MEDICAL_MUST = 2;

/** A boarded person, pinned where they are. */
export type PinnedBoarding = {
  evacuee: number;
  leg: number;
  assemblyPoint: number;
  seat: SeatKind;
};

export type CompiledOperation = {
  now: number;
  settings: PlanningSettings;
  warnings: PlanWarning[];

  evacueeIds: string[];
  evacueeIndex: Map<string, number>;
  evacueeLat: Float64Array;
  evacueeLon: Float64Array;
  evacueeGroup: Int32Array;
  evacueeMedical: Uint8Array;

  groupIds: string[];
  groupIndex: Map<string, number>;
  /** Tier of the whole group (its most vulnerable member), 1-based. */
  groupTier: Uint8Array;
  groupMemberStart: Int32Array;
  groupMembers: Int32Array;
  /** Members not yet boarded: the part of the group the planner moves, always together. */
  travellerStart: Int32Array;
  travellers: Int32Array;
  /** Latest document readiness among the travellers; -Infinity when all can travel now. */
  groupDocumentsReadyAt: Float64Array;
  groupNeedsAccessible: Uint8Array;
  /** Travellers by medical seat use. */
  groupMedicalNone: Int32Array;
  groupMedicalMay: Int32Array;
  groupMedicalMust: Int32Array;

  assemblyPointIds: string[];
  assemblyPointIndex: Map<string, number>;
  pointLat: Float64Array;
  pointLon: Float64Array;
  pointCapacity: Int32Array;
  pointOpensAt: Float64Array;
  pointClosesAt: Float64Array;
  pointAccessible: Uint8Array;

  legIds: string[];
  legIndex: Map<string, number>;
  legDepartsAt: Float64Array;
  legSeats: Int32Array;
  legMedicalSeats: Int32Array;
  legCancelled: Uint8Array;
  /** Origin assembly point index, or -1 when the leg leaves from a hub. */
  legOriginPoint: Int32Array;
  /** Origin hub index, or -1. */
  legOriginHub: Int32Array;
  hubTransferMs: Float64Array;
  hubPoints: Int32Array[];

  /**
   * For each assembly point, the legs a new assignment there may use (not cancelled, gathering not
   * yet passed, point open at gathering), ordered by departure: a CSR list.
   */
  optionStart: Int32Array;
  optionLeg: Int32Array;
  optionDepartsAt: Float64Array;

  boardings: PinnedBoarding[];
  /** Per evacuee: 1 when boarded. */
  evacueeBoarded: Uint8Array;
};

/** Fills in every default and checks the options; throws `evacuation.invalid_options` or `invalid_tier_scheme`. */
export function resolvePlanningSettings(options: PlanningOptions | undefined): PlanningSettings {
  const settings: PlanningSettings = {
    maxDistanceKm: options?.maxDistanceKm ?? 50,
    tiers: options?.tiers ?? DEFAULT_PRIORITY_SCHEME,
    kmWorthOneHour: options?.kmWorthOneHour ?? 10,
  };
  if (!(Number.isFinite(settings.maxDistanceKm) && settings.maxDistanceKm > 0)) {
    throw new EvacuationInputError('evacuation.invalid_options', 'maxDistanceKm must be a positive number');
  }
  if (!(Number.isFinite(settings.kmWorthOneHour) && settings.kmWorthOneHour > 0)) {
    throw new EvacuationInputError('evacuation.invalid_options', 'kmWorthOneHour must be a positive number');
  }
  assertValidPriorityScheme(settings.tiers);
  return settings;
}

function fail(
  code: ConstructorParameters<typeof EvacuationInputError>[0],
  message: string,
  subjectId?: string,
): never {
  throw new EvacuationInputError(code, message, subjectId);
}

function assertCoordinates(lat: number, lon: number, subjectId: string): void {
  if (!(Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
    fail('evacuation.invalid_coordinates', 'Coordinates must be degrees within range', subjectId);
  }
}

function assertCount(
  value: number,
  code: 'evacuation.invalid_capacity' | 'evacuation.invalid_seats',
  subjectId: string,
): void {
  if (!(Number.isInteger(value) && value >= 0))
    fail(code, 'Counts must be whole numbers, zero or more', subjectId);
}

/**
 * Checks the input and compiles it. Throws {@link EvacuationInputError} with a stable code on input
 * the planner cannot use; records warnings for input it can work around.
 */
export function compileOperation(input: EvacuationInput, settings: PlanningSettings): CompiledOperation {
  const { now } = input;
  if (!Number.isFinite(now)) fail('evacuation.invalid_time', 'The plan time must be a finite instant');
  const warnings: PlanWarning[] = [];
  const planYear = yearAt(now);

  // Groups.
  const groupIds: string[] = [];
  const groupIndex = new Map<string, number>();
  for (const group of input.groups) {
    if (groupIndex.has(group.id)) fail('evacuation.duplicate_group', 'A group appears twice', group.id);
    groupIndex.set(group.id, groupIds.length);
    groupIds.push(group.id);
  }
  const groupCount = groupIds.length;

  // Evacuees.
  const evacueeCount = input.evacuees.length;
  const evacueeIds: string[] = new Array(evacueeCount);
  const evacueeIndex = new Map<string, number>();
  const evacueeLat = new Float64Array(evacueeCount);
  const evacueeLon = new Float64Array(evacueeCount);
  const evacueeGroup = new Int32Array(evacueeCount);
  const evacueeMedical = new Uint8Array(evacueeCount);
  const evacueeTier = new Uint8Array(evacueeCount);
  const evacueeReadyAt = new Float64Array(evacueeCount);
  const evacueeAccessible = new Uint8Array(evacueeCount);
  const groupSize = new Int32Array(groupCount);
  for (let index = 0; index < evacueeCount; index++) {
    const evacuee = input.evacuees[index]!;
    const seen = evacueeIndex.get(evacuee.id);
    if (seen !== undefined) {
      if (input.evacuees[seen]!.groupId !== evacuee.groupId) {
        fail('evacuation.person_in_two_groups', 'A person belongs to two groups', evacuee.id);
      }
      fail('evacuation.duplicate_evacuee', 'A person appears twice', evacuee.id);
    }
    const group = groupIndex.get(evacuee.groupId);
    if (group === undefined)
      fail('evacuation.unknown_group', 'A person refers to an unknown group', evacuee.id);
    assertCoordinates(evacuee.lat, evacuee.lon, evacuee.id);
    const readyAt = evacuee.documentReadyAt;
    if (readyAt !== null && Number.isNaN(readyAt)) {
      fail('evacuation.invalid_time', 'A document readiness time is not a number', evacuee.id);
    }
    evacueeIndex.set(evacuee.id, index);
    evacueeIds[index] = evacuee.id;
    evacueeLat[index] = evacuee.lat;
    evacueeLon[index] = evacuee.lon;
    evacueeGroup[index] = group;
    evacueeMedical[index] = evacuee.needsMedicalSeat
      ? MEDICAL_MUST
      : evacuee.vulnerabilities.includes('medical')
        ? MEDICAL_MAY
        : MEDICAL_NONE;
    evacueeTier[index] = tierOfEvacuee(evacuee, settings.tiers, planYear);
    evacueeReadyAt[index] = readyAt === null ? Number.NEGATIVE_INFINITY : readyAt;
    evacueeAccessible[index] = evacuee.needsMedicalSeat || evacuee.needsAccessibleSite === true ? 1 : 0;
    groupSize[group]!++;
  }
  const groupMemberStart = new Int32Array(groupCount + 1);
  for (let group = 0; group < groupCount; group++) {
    groupMemberStart[group + 1] = groupMemberStart[group]! + groupSize[group]!;
    if (groupSize[group] === 0)
      warnings.push({ code: 'evacuation.empty_group', subjectId: groupIds[group]! });
  }
  const groupMembers = new Int32Array(evacueeCount);
  const fillCursor = groupMemberStart.slice(0, groupCount);
  for (let index = 0; index < evacueeCount; index++) {
    const group = evacueeGroup[index]!;
    groupMembers[fillCursor[group]!++] = index;
  }

  // Assembly points.
  const pointCount = input.assemblyPoints.length;
  const assemblyPointIds: string[] = new Array(pointCount);
  const assemblyPointIndex = new Map<string, number>();
  const pointLat = new Float64Array(pointCount);
  const pointLon = new Float64Array(pointCount);
  const pointCapacity = new Int32Array(pointCount);
  const pointOpensAt = new Float64Array(pointCount);
  const pointClosesAt = new Float64Array(pointCount);
  const pointAccessible = new Uint8Array(pointCount);
  for (let index = 0; index < pointCount; index++) {
    const point = input.assemblyPoints[index]!;
    if (assemblyPointIndex.has(point.id)) {
      fail('evacuation.duplicate_assembly_point', 'An assembly point appears twice', point.id);
    }
    assertCoordinates(point.lat, point.lon, point.id);
    assertCount(point.capacity, 'evacuation.invalid_capacity', point.id);
    if (Number.isNaN(point.opensAt) || Number.isNaN(point.closesAt) || point.opensAt > point.closesAt) {
      fail('evacuation.invalid_opening_hours', 'An assembly point closes before it opens', point.id);
    }
    assemblyPointIndex.set(point.id, index);
    assemblyPointIds[index] = point.id;
    pointLat[index] = point.lat;
    pointLon[index] = point.lon;
    pointCapacity[index] = Math.min(point.capacity, 2 ** 31 - 1);
    pointOpensAt[index] = point.opensAt;
    pointClosesAt[index] = point.closesAt;
    pointAccessible[index] = point.accessible ? 1 : 0;
  }

  // Hubs.
  const hubs = input.hubs ?? [];
  const hubIndex = new Map<string, number>();
  const hubTransferMs = new Float64Array(hubs.length);
  const hubPoints: Int32Array[] = [];
  for (let index = 0; index < hubs.length; index++) {
    const hub = hubs[index]!;
    if (hubIndex.has(hub.id)) fail('evacuation.duplicate_hub', 'A hub appears twice', hub.id);
    if (!(Number.isFinite(hub.transferMinutes) && hub.transferMinutes >= 0)) {
      fail('evacuation.invalid_time', 'A transfer time must be zero or more minutes', hub.id);
    }
    const points = new Set<number>();
    for (const pointId of hub.assemblyPointIds) {
      const point = assemblyPointIndex.get(pointId);
      if (point === undefined)
        fail('evacuation.unknown_assembly_point', 'A hub serves an unknown point', hub.id);
      points.add(point);
    }
    if (points.size === 0)
      warnings.push({ code: 'evacuation.hub_without_assembly_points', subjectId: hub.id });
    hubIndex.set(hub.id, index);
    hubTransferMs[index] = hub.transferMinutes * MINUTE_MS;
    hubPoints.push(Int32Array.from([...points].sort((a, b) => a - b)));
  }

  // Legs.
  const legCount = input.legs.length;
  const legIds: string[] = new Array(legCount);
  const legIndex = new Map<string, number>();
  const legDepartsAt = new Float64Array(legCount);
  const legSeats = new Int32Array(legCount);
  const legMedicalSeats = new Int32Array(legCount);
  const legCancelled = new Uint8Array(legCount);
  const legOriginPoint = new Int32Array(legCount).fill(-1);
  const legOriginHub = new Int32Array(legCount).fill(-1);
  for (let index = 0; index < legCount; index++) {
    const leg = input.legs[index]!;
    if (legIndex.has(leg.id)) fail('evacuation.duplicate_leg', 'A leg appears twice', leg.id);
    if (!Number.isFinite(leg.departsAt))
      fail('evacuation.invalid_time', 'A departure time is not finite', leg.id);
    assertCount(leg.seats, 'evacuation.invalid_seats', leg.id);
    assertCount(leg.medicalSeats, 'evacuation.invalid_seats', leg.id);
    if (leg.medicalSeats > leg.seats) {
      fail('evacuation.invalid_seats', 'A leg has more medical places than places', leg.id);
    }
    if (leg.origin.kind === 'assembly_point') {
      const point = assemblyPointIndex.get(leg.origin.assemblyPointId);
      if (point === undefined)
        fail('evacuation.unknown_leg_origin', 'A leg leaves from an unknown point', leg.id);
      legOriginPoint[index] = point;
    } else {
      const hub = hubIndex.get(leg.origin.hubId);
      if (hub === undefined)
        fail('evacuation.unknown_leg_origin', 'A leg leaves from an unknown hub', leg.id);
      legOriginHub[index] = hub;
    }
    legIndex.set(leg.id, index);
    legIds[index] = leg.id;
    legDepartsAt[index] = leg.departsAt;
    legSeats[index] = Math.min(leg.seats, 2 ** 31 - 1);
    legMedicalSeats[index] = Math.min(leg.medicalSeats, 2 ** 31 - 1);
    legCancelled[index] = leg.cancelled ? 1 : 0;
  }

  // Options per assembly point: the legs a new assignment may use from there.
  const pointOptions: number[][] = Array.from({ length: pointCount }, () => []);
  for (let leg = 0; leg < legCount; leg++) {
    if (legCancelled[leg] === 1) continue;
    const departsAt = legDepartsAt[leg]!;
    if (departsAt < now) {
      warnings.push({ code: 'evacuation.leg_departed', subjectId: legIds[leg]! });
      continue;
    }
    const origin = legOriginPoint[leg]!;
    const hub = legOriginHub[leg]!;
    const points = origin >= 0 ? [origin] : Array.from(hubPoints[hub]!);
    const gatherAt = origin >= 0 ? departsAt : departsAt - hubTransferMs[hub]!;
    let usable = false;
    for (const point of points) {
      if (gatherAt >= now && pointOpensAt[point]! <= gatherAt && gatherAt <= pointClosesAt[point]!) {
        pointOptions[point]!.push(leg);
        usable = true;
      }
    }
    if (!usable && points.length > 0 && gatherAt >= now) {
      warnings.push({ code: 'evacuation.leg_outside_opening_hours', subjectId: legIds[leg]! });
    } else if (!usable && points.length > 0) {
      warnings.push({ code: 'evacuation.leg_departed', subjectId: legIds[leg]! });
    }
  }
  const optionStart = new Int32Array(pointCount + 1);
  for (let point = 0; point < pointCount; point++) {
    const options = pointOptions[point]!;
    options.sort((a, b) => legDepartsAt[a]! - legDepartsAt[b]! || a - b);
    optionStart[point + 1] = optionStart[point]! + options.length;
    if (options.length === 0) {
      warnings.push({ code: 'evacuation.assembly_point_without_legs', subjectId: assemblyPointIds[point]! });
    }
  }
  const optionLeg = new Int32Array(optionStart[pointCount]!);
  const optionDepartsAt = new Float64Array(optionStart[pointCount]!);
  for (let point = 0; point < pointCount; point++) {
    let slot = optionStart[point]!;
    for (const leg of pointOptions[point]!) {
      optionLeg[slot] = leg;
      optionDepartsAt[slot] = legDepartsAt[leg]!;
      slot++;
    }
  }

  // Boarded people, pinned.
  const boardings: PinnedBoarding[] = [];
  const evacueeBoarded = new Uint8Array(evacueeCount);
  const seenAssignment = new Set<string>();
  for (const assignment of input.existingAssignments ?? []) {
    if (seenAssignment.has(assignment.evacueeId)) {
      fail('evacuation.duplicate_assignment', 'A person has two recorded assignments', assignment.evacueeId);
    }
    seenAssignment.add(assignment.evacueeId);
    const evacuee = evacueeIndex.get(assignment.evacueeId);
    const leg = legIndex.get(assignment.legId);
    const point = assemblyPointIndex.get(assignment.assemblyPointId);
    if (evacuee === undefined || leg === undefined || point === undefined) {
      fail(
        'evacuation.unknown_assignment_reference',
        'An assignment refers to an unknown record',
        assignment.evacueeId,
      );
    }
    if (!assignment.boarded) continue;
    if (legCancelled[leg] === 1) {
      fail(
        'evacuation.boarded_leg_cancelled',
        'People are recorded aboard a cancelled leg',
        assignment.legId,
      );
    }
    boardings.push({ evacuee, leg, assemblyPoint: point, seat: assignment.seat });
    evacueeBoarded[evacuee] = 1;
  }

  // Travellers: members not yet boarded, with the group-level facts the rules need.
  const travellerStart = new Int32Array(groupCount + 1);
  const travellers = new Int32Array(evacueeCount - boardings.length);
  const groupTier = new Uint8Array(groupCount);
  const groupDocumentsReadyAt = new Float64Array(groupCount);
  const groupNeedsAccessible = new Uint8Array(groupCount);
  const groupMedicalNone = new Int32Array(groupCount);
  const groupMedicalMay = new Int32Array(groupCount);
  const groupMedicalMust = new Int32Array(groupCount);
  let travellerCount = 0;
  for (let group = 0; group < groupCount; group++) {
    travellerStart[group] = travellerCount;
    let tier = settings.tiers.length;
    let readyAt = Number.NEGATIVE_INFINITY;
    for (let slot = groupMemberStart[group]!; slot < groupMemberStart[group + 1]!; slot++) {
      const member = groupMembers[slot]!;
      tier = Math.min(tier, evacueeTier[member]!);
      if (evacueeBoarded[member] === 1) continue;
      travellers[travellerCount++] = member;
      readyAt = Math.max(readyAt, evacueeReadyAt[member]!);
      if (evacueeAccessible[member] === 1) groupNeedsAccessible[group] = 1;
      const medical = evacueeMedical[member]!;
      if (medical === MEDICAL_MUST) groupMedicalMust[group]!++;
      else if (medical === MEDICAL_MAY) groupMedicalMay[group]!++;
      else groupMedicalNone[group]!++;
    }
    groupTier[group] = tier;
    groupDocumentsReadyAt[group] = readyAt;
  }
  travellerStart[groupCount] = travellerCount;

  return {
    now,
    settings,
    warnings,
    evacueeIds,
    evacueeIndex,
    evacueeLat,
    evacueeLon,
    evacueeGroup,
    evacueeMedical,
    groupIds,
    groupIndex,
    groupTier,
    groupMemberStart,
    groupMembers,
    travellerStart,
    travellers,
    groupDocumentsReadyAt,
    groupNeedsAccessible,
    groupMedicalNone,
    groupMedicalMay,
    groupMedicalMust,
    assemblyPointIds,
    assemblyPointIndex,
    pointLat,
    pointLon,
    pointCapacity,
    pointOpensAt,
    pointClosesAt,
    pointAccessible,
    legIds,
    legIndex,
    legDepartsAt,
    legSeats,
    legMedicalSeats,
    legCancelled,
    legOriginPoint,
    legOriginHub,
    hubTransferMs,
    hubPoints,
    optionStart,
    optionLeg,
    optionDepartsAt,
    boardings,
    evacueeBoarded,
  };
}

/** When people bound for `leg` from `point` must be gathered there, or NaN if the leg does not serve it. */
export function gatheringTime(model: CompiledOperation, leg: number, point: number): number {
  const origin = model.legOriginPoint[leg]!;
  if (origin >= 0) return origin === point ? model.legDepartsAt[leg]! : Number.NaN;
  const hub = model.legOriginHub[leg]!;
  const points = model.hubPoints[hub]!;
  for (const served of points) {
    if (served === point) return model.legDepartsAt[leg]! - model.hubTransferMs[hub]!;
  }
  return Number.NaN;
}
