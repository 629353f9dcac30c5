// An independent check of an evacuation plan against every hard rule. It reads only the planner's
// input and output types, never its code, and is written plainly (maps, loops) so that a fault in
// the planner's fast paths cannot hide behind the same fault here.
import type {
  EvacuationInput,
  EvacuationPlan,
  Evacuee,
  EvacueeAssignment,
  TransportLeg,
  UnassignedReason,
} from '../../src/domain/evacuation/evacuation-types.ts';

export type PlanRule =
  | 'person_accounted_once'
  | 'unknown_reference'
  | 'group_kept_together'
  | 'boarded_not_moved'
  | 'cancelled_leg_empty'
  | 'no_departed_leg'
  | 'gathering_not_passed'
  | 'leg_serves_point'
  | 'point_open_at_gathering'
  | 'documents_ready'
  | 'within_distance'
  | 'accessible_point'
  | 'medical_seat_eligible'
  | 'medical_seat_required'
  | 'leg_seats'
  | 'point_capacity'
  | 'reason_known'
  | 'nobody_left_behind_with_room';

export type PlanViolation = { rule: PlanRule; subjectId: string; detail: string };

export type CheckRules = {
  maxDistanceKm: number;
  /** When the plan is a re-plan: assignments carried over from it may have passed their gathering time. */
  previousPlan?: EvacuationPlan;
  /** People released as no-shows: the legs they missed are not counted as room for them. */
  releasedEvacueeIds?: readonly string[];
  /** Also check that no unassigned group would have fitted somewhere (costly on large plans). */
  checkNobodyLeftBehind?: boolean;
};

// The record type makes the compiler fail here when a reason is added to the planner and not to this list.
const KNOWN_REASONS: Record<UnassignedReason, true> = {
  no_assembly_point_within_distance: true,
  no_accessible_assembly_point_within_distance: true,
  group_larger_than_assembly_point: true,
  no_leg_within_distance: true,
  documents_not_ready: true,
  group_larger_than_any_leg: true,
  no_medical_seat: true,
  capacity_exhausted: true,
};

const DISTANCE_TOLERANCE_KM = 1e-6;

function greatCircleKm(latA: number, lonA: number, latB: number, lonB: number): number {
  const toRadians = Math.PI / 180;
  const a =
    Math.sin(((latB - latA) * toRadians) / 2) ** 2 +
    Math.cos(latA * toRadians) * Math.cos(latB * toRadians) * Math.sin(((lonB - lonA) * toRadians) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

function mayUseMedicalSeat(evacuee: Evacuee): boolean {
  return evacuee.needsMedicalSeat || evacuee.vulnerabilities.includes('medical');
}

function needsAccessiblePoint(evacuee: Evacuee): boolean {
  return evacuee.needsMedicalSeat || evacuee.needsAccessibleSite === true;
}

/** Returns every way in which `plan` breaks a hard rule for `input`; an empty list means none. */
export function checkPlan(input: EvacuationInput, plan: EvacuationPlan, rules: CheckRules): PlanViolation[] {
  const violations: PlanViolation[] = [];
  const report = (rule: PlanRule, subjectId: string, detail: string): void => {
    violations.push({ rule, subjectId, detail });
  };
  const now = input.now;
  const evacuees = new Map(input.evacuees.map((e) => [e.id, e]));
  const legs = new Map(input.legs.map((l) => [l.id, l]));
  const points = new Map(input.assemblyPoints.map((p) => [p.id, p]));
  const hubs = new Map((input.hubs ?? []).map((h) => [h.id, h]));

  const gatheringAt = (leg: TransportLeg, pointId: string): number | null => {
    if (leg.origin.kind === 'assembly_point')
      return leg.origin.assemblyPointId === pointId ? leg.departsAt : null;
    const hub = hubs.get(leg.origin.hubId);
    if (hub === undefined || !hub.assemblyPointIds.includes(pointId)) return null;
    return leg.departsAt - hub.transferMinutes * 60_000;
  };

  // Every person exactly once.
  const seen = new Map<string, number>();
  for (const entry of [...plan.assignments, ...plan.unassigned]) {
    seen.set(entry.evacueeId, (seen.get(entry.evacueeId) ?? 0) + 1);
    const evacuee = evacuees.get(entry.evacueeId);
    if (evacuee === undefined) report('unknown_reference', entry.evacueeId, 'person not in the input');
    else if (evacuee.groupId !== entry.groupId) report('unknown_reference', entry.evacueeId, 'wrong group');
  }
  for (const evacuee of input.evacuees) {
    const count = seen.get(evacuee.id) ?? 0;
    if (count !== 1) report('person_accounted_once', evacuee.id, `appears ${count} times`);
  }

  // Boarded people exactly where the records put them; nobody else marked boarded.
  const boardedRecords = new Map(
    (input.existingAssignments ?? []).filter((a) => a.boarded).map((a) => [a.evacueeId, a]),
  );
  const assignmentOf = new Map(plan.assignments.map((a) => [a.evacueeId, a]));
  for (const record of boardedRecords.values()) {
    const assignment = assignmentOf.get(record.evacueeId);
    if (
      assignment === undefined ||
      !assignment.boarded ||
      assignment.legId !== record.legId ||
      assignment.assemblyPointId !== record.assemblyPointId ||
      assignment.seat !== record.seat
    ) {
      report('boarded_not_moved', record.evacueeId, 'boarded person moved or dropped');
    }
  }

  const previous = new Map<string, EvacueeAssignment>();
  for (const assignment of rules.previousPlan?.assignments ?? [])
    previous.set(assignment.evacueeId, assignment);

  // Rules for each person on a leg.
  const regularUsed = new Map<string, number>();
  const medicalUsed = new Map<string, number>();
  const pointUsed = new Map<string, number>();
  for (const assignment of plan.assignments) {
    const leg = legs.get(assignment.legId);
    const point = points.get(assignment.assemblyPointId);
    const evacuee = evacuees.get(assignment.evacueeId);
    if (leg === undefined || point === undefined || evacuee === undefined) {
      report('unknown_reference', assignment.evacueeId, 'unknown leg, point or person');
      continue;
    }
    const used = assignment.seat === 'medical' ? medicalUsed : regularUsed;
    used.set(leg.id, (used.get(leg.id) ?? 0) + 1);
    pointUsed.set(point.id, (pointUsed.get(point.id) ?? 0) + 1);
    if (assignment.boarded) {
      if (!boardedRecords.has(assignment.evacueeId)) {
        report('boarded_not_moved', assignment.evacueeId, 'marked boarded without a boarding record');
      }
      continue;
    }
    const subject = assignment.evacueeId;
    if (leg.cancelled) report('cancelled_leg_empty', subject, `on cancelled leg ${leg.id}`);
    if (leg.departsAt < now) report('no_departed_leg', subject, `leg ${leg.id} departed`);
    if (assignment.departsAt !== leg.departsAt)
      report('unknown_reference', subject, 'departure time misreported');
    const gatherAt = gatheringAt(leg, point.id);
    if (gatherAt === null) {
      report('leg_serves_point', subject, `leg ${leg.id} does not serve ${point.id}`);
    } else {
      const before = previous.get(subject);
      const carriedOver =
        before !== undefined && before.legId === leg.id && before.assemblyPointId === point.id;
      if (!carriedOver && gatherAt < now) report('gathering_not_passed', subject, 'no time left to gather');
      if (gatherAt < point.opensAt || gatherAt > point.closesAt) {
        report('point_open_at_gathering', subject, `point ${point.id} closed at gathering`);
      }
    }
    if (evacuee.documentReadyAt !== null && leg.departsAt < evacuee.documentReadyAt) {
      report('documents_ready', subject, 'leg departs before the document is ready');
    }
    const km = greatCircleKm(evacuee.lat, evacuee.lon, point.lat, point.lon);
    if (km > rules.maxDistanceKm + DISTANCE_TOLERANCE_KM)
      report('within_distance', subject, `${km.toFixed(1)} km`);
    if (needsAccessiblePoint(evacuee) && !point.accessible) report('accessible_point', subject, point.id);
    if (assignment.seat === 'medical' && !mayUseMedicalSeat(evacuee)) {
      report('medical_seat_eligible', subject, 'medical place given to someone without a medical need');
    }
    if (evacuee.needsMedicalSeat && assignment.seat !== 'medical') {
      report('medical_seat_required', subject, 'needs a medical place');
    }
  }

  for (const leg of input.legs) {
    const regular = regularUsed.get(leg.id) ?? 0;
    const medical = medicalUsed.get(leg.id) ?? 0;
    if (medical > leg.medicalSeats) report('leg_seats', leg.id, `${medical} medical of ${leg.medicalSeats}`);
    if (regular > leg.seats - leg.medicalSeats) {
      report('leg_seats', leg.id, `${regular} regular of ${leg.seats - leg.medicalSeats}`);
    }
  }
  for (const point of input.assemblyPoints) {
    const used = pointUsed.get(point.id) ?? 0;
    if (used > point.capacity) report('point_capacity', point.id, `${used} of ${point.capacity}`);
  }

  // Groups: everyone not aboard travels on one leg from one point, or nobody does.
  const membersByGroup = new Map<string, Evacuee[]>();
  for (const evacuee of input.evacuees) {
    const members = membersByGroup.get(evacuee.groupId) ?? [];
    members.push(evacuee);
    membersByGroup.set(evacuee.groupId, members);
  }
  const unassignedIds = new Set(plan.unassigned.map((u) => u.evacueeId));
  const waitingGroups: Evacuee[][] = [];
  for (const [groupId, members] of membersByGroup) {
    const travellers = members.filter((m) => !boardedRecords.has(m.id));
    const destinations = new Set(
      travellers.map((m) => {
        const assignment = assignmentOf.get(m.id);
        return assignment === undefined ? 'none' : `${assignment.legId}|${assignment.assemblyPointId}`;
      }),
    );
    if (destinations.size > 1) report('group_kept_together', groupId, 'members split');
    if (travellers.length > 0 && travellers.every((m) => unassignedIds.has(m.id)))
      waitingGroups.push(travellers);
  }

  for (const entry of plan.unassigned) {
    if (!Object.hasOwn(KNOWN_REASONS, entry.reason))
      report('reason_known', entry.evacueeId, String(entry.reason));
  }

  if (rules.checkNobodyLeftBehind === true) {
    const released = new Set(rules.releasedEvacueeIds ?? []);
    for (const travellers of waitingGroups) {
      const missedLegs = new Set(
        travellers.filter((m) => released.has(m.id)).map((m) => previous.get(m.id)?.legId),
      );
      const room = findRoom(travellers, missedLegs);
      if (room !== null) report('nobody_left_behind_with_room', travellers[0]!.groupId, room);
    }
  }
  return violations;

  function findRoom(travellers: Evacuee[], missedLegs: ReadonlySet<string | undefined>): string | null {
    const none = travellers.filter((m) => !mayUseMedicalSeat(m)).length;
    const must = travellers.filter((m) => m.needsMedicalSeat).length;
    const needsAccessible = travellers.some(needsAccessiblePoint);
    const readyAt = Math.max(...travellers.map((m) => m.documentReadyAt ?? Number.NEGATIVE_INFINITY));
    for (const point of input.assemblyPoints) {
      if (point.capacity - (pointUsed.get(point.id) ?? 0) < travellers.length) continue;
      if (needsAccessible && !point.accessible) continue;
      const farthest = Math.max(...travellers.map((m) => greatCircleKm(m.lat, m.lon, point.lat, point.lon)));
      // Only points clearly within reach count, so that rounding at the boundary never reports room.
      if (farthest > rules.maxDistanceKm - DISTANCE_TOLERANCE_KM) continue;
      for (const leg of input.legs) {
        if (leg.cancelled || missedLegs.has(leg.id) || leg.departsAt < readyAt) continue;
        const gatherAt = gatheringAt(leg, point.id);
        if (gatherAt === null || gatherAt < now || gatherAt < point.opensAt || gatherAt > point.closesAt)
          continue;
        const regularFree = leg.seats - leg.medicalSeats - (regularUsed.get(leg.id) ?? 0);
        const medicalFree = leg.medicalSeats - (medicalUsed.get(leg.id) ?? 0);
        if (must <= medicalFree && none <= regularFree && travellers.length <= regularFree + medicalFree) {
          return `${leg.id} from ${point.id} had room`;
        }
      }
    }
    return null;
  }
}
