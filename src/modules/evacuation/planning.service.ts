import type { Kysely, Transaction } from 'kysely';
import type { Database, Dialect } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import {
  type EvacuationInput,
  type EvacuationPlan,
  type Evacuee,
  type EvacueeGroup,
  type ExistingAssignment,
  type PlanChange,
  type PlanningOptions,
  type PlanningSettings,
  type PlanSummary,
  type PlanWarning,
  type SeatKind,
  type TransportLeg,
  type UnassignedReason,
  VULNERABILITY_CODES,
  type VulnerabilityCode,
} from '../../domain/evacuation/evacuation-types.ts';
import { planEvacuation, replanEvacuation } from '../../domain/evacuation/plan-evacuation.ts';
import { DEFAULT_PRIORITY_SCHEME, tierOfEvacuee, yearAt } from '../../domain/evacuation/priority-tiers.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import {
  auditEvacuation,
  type EvacuationContext,
  lockOpenOperation,
  millis,
  planningError,
  visibleOperation,
} from './evacuation.context.ts';
import {
  findPlan,
  insertPlan,
  latestPlanVersion,
  listAssemblyPoints,
  listBoardings,
  listHubs,
  listLegs,
  listPlacements,
  listPlanningEvacuees,
  replacePlacements,
  updateOperation,
} from './evacuation.repository.ts';
import type {
  PlacementReason,
  PlanningOptionsBody,
  PlanRequest,
  PlanResult,
  PlanSummaryView,
  PlanView,
} from './evacuation.schema.ts';
import type {
  EvacuationAssemblyPointRow,
  EvacuationBoardingRow,
  EvacuationHubRow,
  EvacuationLegRow,
  EvacuationOperationRow,
  EvacuationPlacementRow,
  EvacuationPlanRow,
  NewEvacuationPlacementRow,
} from './evacuation.table.ts';

type Db = Kysely<DB> | Transaction<DB>;
type PlanningEvacueeRow = Awaited<ReturnType<typeof listPlanningEvacuees>>[number];

/** Everything stored about an operation that planning reads. */
export type PlanningState = {
  operation: EvacuationOperationRow;
  points: EvacuationAssemblyPointRow[];
  hubs: EvacuationHubRow[];
  legs: EvacuationLegRow[];
  evacuees: PlanningEvacueeRow[];
  boardings: EvacuationBoardingRow[];
};

/** Someone the planner cannot place: neither they nor anyone in their group has a recorded location. */
export type UnlocatedEvacuee = { personId: string; groupId: string; tier: number };

/** The planner's input built from the stored state, and the people left out of it. */
export type PreparedInput = {
  input: EvacuationInput;
  unlocated: UnlocatedEvacuee[];
  options: PlanningOptions;
};

/** A change to re-plan after, naming legs by id (the leg itself is read from the stored state). */
export type ChangeSpec =
  | { kind: 'leg_added'; legId: string }
  | { kind: 'leg_cancelled'; legId: string }
  | { kind: 'no_shows_released'; evacueeIds: readonly string[] };

/** Which change made a plan version. */
export type PlanTrigger =
  | 'plan'
  | 'plan_keep'
  | 'leg_added'
  | 'leg_changed'
  | 'leg_cancelled'
  | 'no_shows_released'
  | 'evacuee_changed';

const KNOWN_VULNERABILITIES: ReadonlySet<string> = new Set(VULNERABILITY_CODES);

export async function loadPlanningState(db: Db, operation: EvacuationOperationRow): Promise<PlanningState> {
  return {
    operation,
    points: await listAssemblyPoints(db, operation.id),
    hubs: await listHubs(db, operation.id),
    legs: await listLegs(db, operation.id),
    evacuees: await listPlanningEvacuees(db, operation.id),
    boardings: await listBoardings(db, operation.id),
  };
}

/** The operation's planning options as the planner takes them. */
export function planningOptionsOf(operation: EvacuationOperationRow): PlanningOptions {
  const body = JSON.parse(operation.planning_options) as PlanningOptionsBody;
  return {
    ...(body.maxDistanceKm !== undefined ? { maxDistanceKm: body.maxDistanceKm } : {}),
    ...(body.kmWorthOneHour !== undefined ? { kmWorthOneHour: body.kmWorthOneHour } : {}),
    ...(body.tiers !== undefined ? { tiers: body.tiers } : {}),
  };
}

/** Someone whose passport is not with them travels on an emergency travel document once it is ready. */
export const needsTravelDocument = (documentStatus: string): boolean => documentStatus !== 'with_person';

function vulnerabilitiesOf(json: string): VulnerabilityCode[] {
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((code): code is VulnerabilityCode => KNOWN_VULNERABILITIES.has(String(code)));
}

/**
 * Builds the planner's input from the stored state at `now`. A person without a location takes their
 * group's (people of a household live together); a group with no location at all is left out and
 * reported. A leg whose boarding has closed offers exactly the places its boarded people hold, so
 * that nobody new is put on it while those aboard stay pinned.
 */
export function prepareInput(state: PlanningState, now: number): PreparedInput {
  const options = planningOptionsOf(state.operation);
  const scheme = options.tiers ?? DEFAULT_PRIORITY_SCHEME;
  const points = new Map(state.points.map((p) => [p.id, p]));
  const boardingOf = new Map(state.boardings.map((b) => [b.person_id, b]));
  const groupLocation = new Map<string, { lat: number; lon: number }>();
  for (const e of state.evacuees) {
    if (e.lat !== null && e.lon !== null && !groupLocation.has(e.group_id))
      groupLocation.set(e.group_id, { lat: e.lat, lon: e.lon });
  }

  const evacuees: Evacuee[] = [];
  const groupKinds = new Map<string, EvacueeGroup['kind']>();
  const unlocatedMembers = new Map<string, Evacuee[]>();
  for (const row of state.evacuees) {
    const vulnerabilities = vulnerabilitiesOf(row.vulnerabilities);
    const boarding = boardingOf.get(row.person_id);
    const boardedAt = boarding ? points.get(boarding.assembly_point_id) : undefined;
    const location =
      row.lat !== null && row.lon !== null
        ? { lat: row.lat, lon: row.lon }
        : (groupLocation.get(row.group_id) ??
          (boardedAt ? { lat: boardedAt.lat, lon: boardedAt.lon } : null));
    const evacuee: Evacuee = {
      id: row.person_id,
      groupId: row.group_id,
      vulnerabilities,
      birthYear: row.birth_year,
      needsMedicalSeat: row.needs_medical_seat === 1,
      needsAccessibleSite:
        row.needs_accessible_site === null
          ? vulnerabilities.includes('disability')
          : row.needs_accessible_site === 1,
      documentReadyAt: !needsTravelDocument(row.document_status)
        ? null
        : row.etd_ready_at === null
          ? Number.POSITIVE_INFINITY
          : millis(row.etd_ready_at),
      lat: location?.lat ?? 0,
      lon: location?.lon ?? 0,
    };
    if (location === null) {
      const members = unlocatedMembers.get(row.group_id) ?? [];
      members.push(evacuee);
      unlocatedMembers.set(row.group_id, members);
      continue;
    }
    evacuees.push(evacuee);
    groupKinds.set(row.group_id, row.group_kind === 'household' ? 'household' : 'group');
  }

  const planYear = yearAt(now);
  const unlocated: UnlocatedEvacuee[] = [];
  for (const [groupId, members] of unlocatedMembers) {
    const tier = Math.min(...members.map((m) => tierOfEvacuee(m, scheme, planYear)));
    for (const m of members) unlocated.push({ personId: m.id, groupId, tier });
  }

  const boardedSeats = new Map<string, { regular: number; medical: number }>();
  for (const b of state.boardings) {
    const seats = boardedSeats.get(b.leg_id) ?? { regular: 0, medical: 0 };
    if (b.seat === 'medical') seats.medical++;
    else seats.regular++;
    boardedSeats.set(b.leg_id, seats);
  }
  const legs: TransportLeg[] = state.legs.map((leg) => {
    const closed = leg.status === 'boarding_closed' || leg.status === 'arrived';
    const aboard = boardedSeats.get(leg.id) ?? { regular: 0, medical: 0 };
    return {
      id: leg.id,
      mode: leg.mode as TransportLeg['mode'],
      origin: leg.origin_hub_id
        ? { kind: 'hub', hubId: leg.origin_hub_id }
        : { kind: 'assembly_point', assemblyPointId: leg.origin_assembly_point_id ?? '' },
      destination: leg.destination,
      departsAt: millis(leg.departs_at),
      seats: closed ? aboard.regular + aboard.medical : leg.seats,
      medicalSeats: closed ? aboard.medical : leg.medical_seats,
      cancelled: leg.status === 'cancelled',
    };
  });

  const included = new Set(evacuees.map((e) => e.id));
  const existingAssignments: ExistingAssignment[] = state.boardings
    .filter((b) => included.has(b.person_id))
    .map((b) => ({
      evacueeId: b.person_id,
      legId: b.leg_id,
      assemblyPointId: b.assembly_point_id,
      seat: b.seat as SeatKind,
      boarded: true,
    }));

  return {
    options,
    unlocated,
    input: {
      now,
      evacuees,
      groups: [...groupKinds].map(([id, kind]) => ({ id, kind })),
      assemblyPoints: state.points.map((p) => ({
        id: p.id,
        lat: p.lat,
        lon: p.lon,
        capacity: p.capacity,
        opensAt: millis(p.opens_at),
        closesAt: millis(p.closes_at),
        accessible: p.accessible === 1,
      })),
      hubs: state.hubs.map((h) => ({
        id: h.id,
        assemblyPointIds: JSON.parse(h.assembly_point_ids) as string[],
        transferMinutes: h.transfer_minutes,
      })),
      legs,
      existingAssignments,
    },
  };
}

/** The plan in force, rebuilt from its stored placements, as the planner's re-plan takes it. */
export function storedPlanOf(
  planRow: EvacuationPlanRow,
  placements: readonly EvacuationPlacementRow[],
  state: PlanningState,
): EvacuationPlan {
  const departs = new Map(state.legs.map((l) => [l.id, millis(l.departs_at)]));
  const boarded = new Set(state.boardings.map((b) => b.person_id));
  const plan: EvacuationPlan = {
    plannedAt: millis(planRow.planned_at),
    settings: JSON.parse(planRow.settings) as PlanningSettings,
    assignments: [],
    unassigned: [],
    legLoads: [],
    assemblyPointLoads: [],
    warnings: JSON.parse(planRow.warnings) as PlanWarning[],
    summary: JSON.parse(planRow.summary) as PlanSummary,
  };
  for (const p of placements) {
    if (p.leg_id !== null && p.assembly_point_id !== null) {
      plan.assignments.push({
        evacueeId: p.person_id,
        groupId: p.group_id,
        tier: p.tier,
        assemblyPointId: p.assembly_point_id,
        legId: p.leg_id,
        departsAt: departs.get(p.leg_id) ?? Number.NaN,
        seat: (p.seat ?? 'regular') as SeatKind,
        boarded: boarded.has(p.person_id),
      });
    } else if (p.reason !== null && p.reason !== 'location_unknown') {
      plan.unassigned.push({
        evacueeId: p.person_id,
        groupId: p.group_id,
        tier: p.tier,
        reason: p.reason as UnassignedReason,
      });
    }
  }
  return plan;
}

function fail(): never {
  throw new AppError(
    'evacuation.plan_invalid',
    'The planner produced a plan that breaks a hard rule; nothing was stored',
    500,
  );
}

/**
 * A last check of the hard rules before a plan is stored: everyone accounted for once, boarded people
 * where they boarded, groups whole, no cancelled leg used, seats, medical places and assembly point
 * capacity respected, and documents ready before departure. The planner is tested against an
 * independent checker; this guards the database against a fault that slipped through.
 */
export function assertPlanHolds(input: EvacuationInput, plan: EvacuationPlan): void {
  const legs = new Map(input.legs.map((l) => [l.id, l]));
  const points = new Map(input.assemblyPoints.map((p) => [p.id, p]));
  const evacuees = new Map(input.evacuees.map((e) => [e.id, e]));
  const boarded = new Map(
    (input.existingAssignments ?? []).filter((a) => a.boarded).map((a) => [a.evacueeId, a]),
  );
  const seen = new Set<string>();
  const regular = new Map<string, number>();
  const medical = new Map<string, number>();
  const atPoint = new Map<string, number>();
  const groupPlace = new Map<string, string>();
  for (const a of plan.assignments) {
    const evacuee = evacuees.get(a.evacueeId);
    const leg = legs.get(a.legId);
    if (!evacuee || !leg || !points.has(a.assemblyPointId) || seen.has(a.evacueeId)) fail();
    seen.add(a.evacueeId);
    const used = a.seat === 'medical' ? medical : regular;
    used.set(leg.id, (used.get(leg.id) ?? 0) + 1);
    atPoint.set(a.assemblyPointId, (atPoint.get(a.assemblyPointId) ?? 0) + 1);
    const record = boarded.get(a.evacueeId);
    if (record) {
      if (!a.boarded || record.legId !== a.legId || record.assemblyPointId !== a.assemblyPointId) fail();
      continue;
    }
    if (a.boarded || leg.cancelled) fail();
    if (evacuee.documentReadyAt !== null && leg.departsAt < evacuee.documentReadyAt) fail();
    if (evacuee.needsMedicalSeat && a.seat !== 'medical') fail();
    const place = `${a.legId}|${a.assemblyPointId}`;
    const groupSeen = groupPlace.get(evacuee.groupId);
    if (groupSeen !== undefined && groupSeen !== place) fail();
    groupPlace.set(evacuee.groupId, place);
  }
  for (const u of plan.unassigned) {
    const evacuee = evacuees.get(u.evacueeId);
    if (!evacuee || seen.has(u.evacueeId) || boarded.has(u.evacueeId)) fail();
    seen.add(u.evacueeId);
    if (groupPlace.has(evacuee.groupId)) fail();
  }
  if (seen.size !== input.evacuees.length) fail();
  for (const leg of input.legs) {
    if ((medical.get(leg.id) ?? 0) > leg.medicalSeats) fail();
    if ((regular.get(leg.id) ?? 0) > leg.seats - leg.medicalSeats) fail();
  }
  for (const point of input.assemblyPoints) if ((atPoint.get(point.id) ?? 0) > point.capacity) fail();
}

/** The planner's summary with the people it never saw (no location) counted in. */
function summaryWith(
  summary: PlanSummary,
  unlocated: readonly UnlocatedEvacuee[],
  settings: PlanningSettings,
): PlanSummaryView {
  const byReason: Record<string, number> = { ...summary.unassignedByReason } as Record<string, number>;
  const tiers = summary.tiers.map((t) => ({ ...t }));
  let weighted = 0;
  for (const u of unlocated) {
    byReason.location_unknown = (byReason.location_unknown ?? 0) + 1;
    const tier = tiers[u.tier - 1];
    if (tier) tier.people++;
    weighted += settings.tiers[u.tier - 1]?.weight ?? 0;
  }
  return {
    ...summary,
    people: summary.people + unlocated.length,
    unassigned: summary.unassigned + unlocated.length,
    weightedDemand: summary.weightedDemand + weighted,
    unassignedByReason: byReason,
    tiers,
  };
}

function toPlanResult(
  planRow: EvacuationPlanRow,
  placements: readonly NewEvacuationPlacementRow[] | readonly EvacuationPlacementRow[],
): PlanResult {
  return {
    planId: planRow.id,
    version: planRow.version,
    trigger: planRow.trigger,
    plannedAt: planRow.planned_at,
    summary: JSON.parse(planRow.summary) as PlanSummaryView,
    warnings: JSON.parse(planRow.warnings) as PlanWarning[],
    unassigned: placements
      .filter((p) => p.reason !== null && p.reason !== undefined)
      .map((p) => ({
        personId: p.person_id,
        groupId: p.group_id,
        tier: p.tier,
        reason: p.reason as PlacementReason,
      })),
  };
}

/**
 * Stores a plan as the operation's new version: the plan row, every placement (the old ones removed),
 * and the operation's pointer to it, all in the caller's transaction, so a reader sees the old plan
 * or the new one and never a mixture.
 */
async function storePlan(
  trx: Transaction<DB>,
  dialect: Dialect,
  ctx: EvacuationContext,
  prepared: PreparedInput,
  operation: EvacuationOperationRow,
  plan: EvacuationPlan,
  trigger: PlanTrigger,
): Promise<PlanResult> {
  assertPlanHolds(prepared.input, plan);
  const version = (await latestPlanVersion(trx, operation.id)) + 1;
  const plannedAt = new Date(plan.plannedAt).toISOString();
  const planRow: EvacuationPlanRow = {
    id: newId(ctx.now.getTime()),
    operation_id: operation.id,
    version,
    trigger,
    planned_at: plannedAt,
    planned_by: ctx.viewer.userId,
    settings: JSON.stringify(plan.settings),
    summary: JSON.stringify(summaryWith(plan.summary, prepared.unlocated, plan.settings)),
    warnings: JSON.stringify(plan.warnings),
  };
  await insertPlan(trx, planRow);
  const base = { operation_id: operation.id, plan_id: planRow.id };
  const placements: NewEvacuationPlacementRow[] = [
    ...plan.assignments.map((a) => ({
      ...base,
      person_id: a.evacueeId,
      group_id: a.groupId,
      tier: a.tier,
      leg_id: a.legId,
      assembly_point_id: a.assemblyPointId,
      seat: a.seat,
      reason: null,
    })),
    ...plan.unassigned.map((u) => ({
      ...base,
      person_id: u.evacueeId,
      group_id: u.groupId,
      tier: u.tier,
      leg_id: null,
      assembly_point_id: null,
      seat: null,
      reason: u.reason,
    })),
    ...prepared.unlocated.map((u) => ({
      ...base,
      person_id: u.personId,
      group_id: u.groupId,
      tier: u.tier,
      leg_id: null,
      assembly_point_id: null,
      seat: null,
      reason: 'location_unknown',
    })),
  ];
  await replacePlacements(trx, operation.id, placements);
  await updateOperation(trx, operation.id, {
    current_plan_id: planRow.id,
    updated_at: ctx.now.toISOString(),
  });
  await auditEvacuation(trx, dialect, ctx, 'evacuation.plan.store', [], {
    operationId: operation.id,
    planId: planRow.id,
    version,
    trigger,
    assigned: plan.summary.assigned,
    unassigned: plan.summary.unassigned + prepared.unlocated.length,
  });
  return toPlanResult(planRow, placements);
}

function runPlanner(
  prepared: PreparedInput,
  previous: EvacuationPlan | null,
  change: PlanChange | null,
): EvacuationPlan {
  try {
    if (previous && change) return replanEvacuation(previous, prepared.input, change, prepared.options);
    return planEvacuation(prepared.input, prepared.options);
  } catch (err) {
    throw planningError(err);
  }
}

/**
 * Re-plans after a change to legs or boarding, inside the caller's transaction (which holds the
 * operation's lock): nobody boarded moves, everyone else keeps their place wherever every rule still
 * holds. Answers null, storing nothing, when the operation has no plan yet.
 */
export async function replanAfterChange(
  trx: Transaction<DB>,
  dialect: Dialect,
  ctx: EvacuationContext,
  operation: EvacuationOperationRow,
  spec: ChangeSpec,
  trigger: PlanTrigger,
): Promise<PlanResult | null> {
  if (!operation.current_plan_id) return null;
  const planRow = await findPlan(trx, operation.current_plan_id);
  if (!planRow) return null;
  const state = await loadPlanningState(trx, operation);
  const prepared = prepareInput(state, ctx.now.getTime());
  const previous = storedPlanOf(planRow, await listPlacements(trx, operation.id), state);
  let change: PlanChange;
  if (spec.kind === 'leg_added') {
    const leg = prepared.input.legs.find((l) => l.id === spec.legId);
    if (!leg) throw new Error('re-plan for a leg that is not stored');
    change = { kind: 'leg_added', leg };
  } else change = spec;
  const plan = runPlanner(prepared, previous, change);
  return storePlan(trx, dialect, ctx, prepared, operation, plan, trigger);
}

/**
 * Runs the planner on the operation as stored and makes the result the plan in force. Afresh by
 * default (boarded people stay where they are); with `keepAssignments`, incrementally from the plan
 * in force.
 */
export async function planOperation(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  request: PlanRequest,
): Promise<PlanResult> {
  return database.db.transaction().execute(async (trx) => {
    const operation = await lockOpenOperation(trx, database.dialect, ctx, operationId);
    if (request.keepAssignments && operation.current_plan_id) {
      // An empty release changes nothing: the re-plan keeps every placement that still holds and
      // places whoever waits, newly added evacuees included.
      const kept = await replanAfterChange(
        trx,
        database.dialect,
        ctx,
        operation,
        { kind: 'no_shows_released', evacueeIds: [] },
        'plan_keep',
      );
      if (kept) return kept;
    }
    const state = await loadPlanningState(trx, operation);
    const prepared = prepareInput(state, ctx.now.getTime());
    const plan = runPlanner(prepared, null, null);
    return storePlan(trx, database.dialect, ctx, prepared, operation, plan, 'plan');
  });
}

const planNotFound = () => new AppError('evacuation.plan_not_found', 'The operation has no plan yet', 404);

/** The plan in force: each leg with its fill and its people, each point's load, the unassigned with reasons. */
export async function readPlan(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
): Promise<PlanView> {
  const operation = await visibleOperation(database, ctx, operationId);
  if (!operation.current_plan_id) throw planNotFound();
  return database.db.transaction().execute(async (trx) => {
    const planRow = await findPlan(trx, operation.current_plan_id!);
    if (!planRow) throw planNotFound();
    const state = await loadPlanningState(trx, operation);
    const placements = await listPlacements(trx, operation.id);
    const boarded = new Map(state.boardings.map((b) => [b.person_id, b]));
    const byLeg = new Map<string, EvacuationPlacementRow[]>();
    const byPoint = new Map<string, number>();
    for (const p of placements) {
      if (p.leg_id === null) continue;
      const list = byLeg.get(p.leg_id) ?? [];
      list.push(p);
      byLeg.set(p.leg_id, list);
      if (p.assembly_point_id) byPoint.set(p.assembly_point_id, (byPoint.get(p.assembly_point_id) ?? 0) + 1);
    }
    const settings = JSON.parse(planRow.settings) as PlanningSettings;
    const view: PlanView = {
      ...toPlanResult(planRow, placements),
      settings: {
        maxDistanceKm: settings.maxDistanceKm,
        kmWorthOneHour: settings.kmWorthOneHour,
        tiers: settings.tiers.map((t, i) => ({ tier: i + 1, label: t.label, weight: t.weight })),
      },
      legs: state.legs.map((leg) => {
        const people = byLeg.get(leg.id) ?? [];
        const medicalUsed = people.filter((p) => p.seat === 'medical').length;
        const regularUsed = people.length - medicalUsed;
        return {
          legId: leg.id,
          mode: leg.mode,
          destination: leg.destination,
          departsAt: leg.departs_at,
          status: leg.status,
          seats: leg.seats,
          medicalSeats: leg.medical_seats,
          regularUsed,
          medicalUsed,
          boarded: people.filter((p) => boarded.has(p.person_id)).length,
          fill: leg.seats > 0 ? people.length / leg.seats : 0,
          assignments: people.map((p) => ({
            personId: p.person_id,
            groupId: p.group_id,
            tier: p.tier,
            assemblyPointId: p.assembly_point_id!,
            seat: p.seat ?? 'regular',
            boarded: boarded.has(p.person_id),
          })),
        };
      }),
      assemblyPoints: state.points.map((p) => ({
        assemblyPointId: p.id,
        name: p.name,
        capacity: p.capacity,
        people: byPoint.get(p.id) ?? 0,
      })),
      notPlanned: Math.max(0, state.evacuees.length - placements.length),
    };
    await auditEvacuation(
      trx,
      database.dialect,
      ctx,
      'evacuation.plan.read',
      placements.map((p) => p.person_id),
      { operationId: operation.id, planId: planRow.id },
    );
    return view;
  });
}

/**
 * The stored plan in force and the planner input it was made from (rebuilt at its plan time), for
 * checking a stored plan against the hard rules. People without a location are returned apart.
 */
export async function storedPlanWithInput(
  db: Kysely<DB>,
  operationId: string,
): Promise<{ input: EvacuationInput; plan: EvacuationPlan; unlocated: UnlocatedEvacuee[] } | null> {
  const operation = await db
    .selectFrom('evacuation_operations')
    .selectAll()
    .where('id', '=', operationId)
    .executeTakeFirst();
  if (!operation?.current_plan_id) return null;
  const planRow = await findPlan(db, operation.current_plan_id);
  if (!planRow) return null;
  const state = await loadPlanningState(db, operation);
  const prepared = prepareInput(state, millis(planRow.planned_at));
  return {
    input: prepared.input,
    plan: storedPlanOf(planRow, await listPlacements(db, operationId), state),
    unlocated: prepared.unlocated,
  };
}
