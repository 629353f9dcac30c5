import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { resolvePlanningSettings } from '../../domain/evacuation/evacuation-model.ts';
import { toAlpha2 } from '../../domain/reference/countries.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { newBoardingKey } from './boarding-token.ts';
import {
  auditEvacuation,
  type EvacuationContext,
  legNotFound,
  lockOpenOperation,
  mayWorkIn,
  millis,
  operationCountries,
  planningError,
  visibleOperation,
} from './evacuation.context.ts';
import {
  countHeads,
  countOperationRecords,
  findLeg,
  findNamedArea,
  insertAssemblyPoint,
  insertHub,
  insertLeg,
  insertOperation,
  listAssemblyPoints,
  listHubs,
  listLegs,
  listOperations,
  releaseClaims,
  updateLeg,
  updateOperation,
} from './evacuation.repository.ts';
import type {
  AssemblyPointCreate,
  AssemblyPointView,
  HubCreate,
  HubView,
  LegChange,
  LegCreate,
  LegPatch,
  LegView,
  OperationCreate,
  OperationPatch,
  OperationQuery,
  OperationStatus,
  OperationView,
  PlanningOptionsBody,
} from './evacuation.schema.ts';
import type { EvacuationLegRow, EvacuationOperationRow } from './evacuation.table.ts';
import { toAssemblyPointView, toHubView, toLegView, toOperationView } from './evacuation.views.ts';
import { replanAfterChange } from './planning.service.ts';

function countryCode(code: string): string {
  const alpha2 = toAlpha2(code);
  if (!alpha2)
    throw new AppError('request.country_unknown', 'country is not an ISO 3166-1 country code', 422);
  return alpha2;
}

/** Refuses options the planner would refuse, before they are stored. */
function checkPlanningOptions(options: PlanningOptionsBody): void {
  try {
    resolvePlanningSettings(options);
  } catch (err) {
    throw planningError(err);
  }
}

async function operationView(database: Database, row: EvacuationOperationRow): Promise<OperationView> {
  return toOperationView(row, await countOperationRecords(database.db, row.id));
}

// ------------------------------------------------------------------------------------------ operations

/** Opens an operation for one crisis in one country (optionally one named area of it). */
export async function createOperation(
  database: Database,
  ctx: EvacuationContext,
  body: OperationCreate,
): Promise<OperationView> {
  const country = countryCode(body.country);
  if (!mayWorkIn(ctx.viewer, country))
    throw new AppError('access.denied_record', 'The country is outside your jurisdiction', 403);
  const planning = body.planning ?? {};
  checkPlanningOptions(planning);
  const now = ctx.now.toISOString();
  const row: EvacuationOperationRow = {
    id: newId(ctx.now.getTime()),
    crisis: body.crisis.trim(),
    country,
    area_id: body.areaId ?? null,
    alert_level: body.alertLevel,
    status: body.status ?? 'planning',
    planning_options: JSON.stringify(planning),
    boarding_key: newBoardingKey(),
    current_plan_id: null,
    created_at: now,
    created_by: ctx.viewer.userId,
    updated_at: now,
  };
  await database.db.transaction().execute(async (trx) => {
    if (row.area_id) {
      const area = await findNamedArea(trx, row.area_id);
      if (!area) throw new AppError('evacuation.area_not_found', 'No named area has this id', 422);
      if (area.country !== country)
        throw new AppError('evacuation.area_country_mismatch', 'The named area lies in another country', 422);
    }
    await insertOperation(trx, row);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.operation.create', [], {
      operationId: row.id,
      country,
      alertLevel: row.alert_level,
    });
  });
  return operationView(database, row);
}

export async function listOperationViews(
  database: Database,
  ctx: EvacuationContext,
  query: OperationQuery,
): Promise<OperationView[]> {
  const rows = await listOperations(database.db, {
    ...(query.status ? { status: query.status } : {}),
    ...(query.country ? { country: countryCode(query.country) } : {}),
    countries: operationCountries(ctx.viewer),
  });
  const views: OperationView[] = [];
  for (const row of rows) views.push(await operationView(database, row));
  return views;
}

export async function getOperationView(
  database: Database,
  ctx: EvacuationContext,
  id: string,
): Promise<OperationView> {
  return operationView(database, await visibleOperation(database, ctx, id));
}

const NEXT_STATUSES: Record<OperationStatus, readonly OperationStatus[]> = {
  planning: ['planning', 'active', 'closed'],
  active: ['active', 'closed'],
  closed: [],
};

/** Renames, re-levels, re-configures or moves an operation on (planning → active → closed). */
export async function patchOperation(
  database: Database,
  ctx: EvacuationContext,
  id: string,
  body: OperationPatch,
): Promise<OperationView> {
  if (body.planning) checkPlanningOptions(body.planning);
  const row = await database.db.transaction().execute(async (trx) => {
    const operation = await lockOpenOperation(trx, database.dialect, ctx, id);
    const status = (body.status ?? operation.status) as OperationStatus;
    if (!NEXT_STATUSES[operation.status as OperationStatus].includes(status)) {
      throw new AppError(
        'evacuation.status_transition_invalid',
        `An operation cannot go from ${operation.status} to ${status}`,
        409,
      );
    }
    const patch = {
      ...(body.crisis !== undefined ? { crisis: body.crisis.trim() } : {}),
      ...(body.alertLevel !== undefined ? { alert_level: body.alertLevel } : {}),
      ...(body.planning !== undefined ? { planning_options: JSON.stringify(body.planning) } : {}),
      status,
      updated_at: ctx.now.toISOString(),
    };
    await updateOperation(trx, id, patch);
    if (status === 'closed') await releaseClaims(trx, id);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.operation.update', [], {
      operationId: id,
      status,
    });
    return { ...operation, ...patch };
  });
  return operationView(database, row);
}

// -------------------------------------------------------------------------------------- points, hubs

export async function createAssemblyPoint(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  body: AssemblyPointCreate,
): Promise<AssemblyPointView> {
  const opensAt = millis(body.opensAt);
  const closesAt = millis(body.closesAt);
  if (opensAt > closesAt)
    throw new AppError('evacuation.invalid_opening_hours', 'The assembly point closes before it opens', 422);
  return database.db.transaction().execute(async (trx) => {
    await lockOpenOperation(trx, database.dialect, ctx, operationId);
    const row = {
      id: newId(ctx.now.getTime()),
      operation_id: operationId,
      name: body.name.trim(),
      lat: body.lat,
      lon: body.lon,
      capacity: body.capacity,
      opens_at: new Date(opensAt).toISOString(),
      closes_at: new Date(closesAt).toISOString(),
      accessible: body.accessible ? 1 : 0,
      created_at: ctx.now.toISOString(),
    };
    await insertAssemblyPoint(trx, row);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.assembly_point.create', [], {
      operationId,
      assemblyPointId: row.id,
    });
    return toAssemblyPointView(row);
  });
}

export async function listAssemblyPointViews(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
): Promise<AssemblyPointView[]> {
  await visibleOperation(database, ctx, operationId);
  return (await listAssemblyPoints(database.db, operationId)).map(toAssemblyPointView);
}

export async function createHub(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  body: HubCreate,
): Promise<HubView> {
  return database.db.transaction().execute(async (trx) => {
    await lockOpenOperation(trx, database.dialect, ctx, operationId);
    const known = new Set((await listAssemblyPoints(trx, operationId)).map((p) => p.id));
    if (!body.assemblyPointIds.every((id) => known.has(id)))
      throw new AppError(
        'evacuation.assembly_point_not_found',
        'The hub names an assembly point of another operation, or none',
        422,
      );
    const row = {
      id: newId(ctx.now.getTime()),
      operation_id: operationId,
      name: body.name.trim(),
      transfer_minutes: body.transferMinutes,
      assembly_point_ids: JSON.stringify(body.assemblyPointIds),
      created_at: ctx.now.toISOString(),
    };
    await insertHub(trx, row);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.hub.create', [], {
      operationId,
      hubId: row.id,
    });
    return toHubView(row);
  });
}

export async function listHubViews(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
): Promise<HubView[]> {
  await visibleOperation(database, ctx, operationId);
  return (await listHubs(database.db, operationId)).map(toHubView);
}

// ---------------------------------------------------------------------------------------------- legs

function departureOf(ctx: EvacuationContext, departsAt: string): string {
  const at = millis(departsAt);
  if (at < ctx.now.getTime())
    throw new AppError('evacuation.departure_in_past', 'The departure time has already passed', 422);
  return new Date(at).toISOString();
}

function checkSeats(seats: number, medicalSeats: number): void {
  if (medicalSeats > seats)
    throw new AppError('evacuation.invalid_seats', 'A leg cannot have more medical places than places', 422);
}

/** Adds a leg; when a plan is in force, re-plans incrementally so the new seats go to those waiting. */
export async function createLeg(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  body: LegCreate,
): Promise<LegChange> {
  if ((body.originAssemblyPointId === undefined) === (body.originHubId === undefined)) {
    throw new AppError(
      'evacuation.leg_origin_invalid',
      'A leg leaves from exactly one of an assembly point (originAssemblyPointId) or a hub (originHubId)',
      422,
    );
  }
  const departsAt = departureOf(ctx, body.departsAt);
  const medicalSeats = body.medicalSeats ?? 0;
  checkSeats(body.seats, medicalSeats);
  return database.db.transaction().execute(async (trx) => {
    const operation = await lockOpenOperation(trx, database.dialect, ctx, operationId);
    if (body.originAssemblyPointId) {
      const points = await listAssemblyPoints(trx, operationId);
      if (!points.some((p) => p.id === body.originAssemblyPointId))
        throw new AppError(
          'evacuation.assembly_point_not_found',
          'The origin is not an assembly point of this operation',
          422,
        );
    } else {
      const hubs = await listHubs(trx, operationId);
      if (!hubs.some((h) => h.id === body.originHubId))
        throw new AppError('evacuation.hub_not_found', 'The origin is not a hub of this operation', 422);
    }
    const now = ctx.now.toISOString();
    const row: EvacuationLegRow = {
      id: newId(ctx.now.getTime()),
      operation_id: operationId,
      mode: body.mode,
      origin_assembly_point_id: body.originAssemblyPointId ?? null,
      origin_hub_id: body.originHubId ?? null,
      destination: body.destination.trim(),
      departs_at: departsAt,
      seats: body.seats,
      medical_seats: medicalSeats,
      status: 'scheduled',
      cancelled_at: null,
      boarding_closed_at: null,
      arrived_at: null,
      created_at: now,
      updated_at: now,
    };
    await insertLeg(trx, row);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.leg.create', [], {
      operationId,
      legId: row.id,
      seats: row.seats,
    });
    const replan = await replanAfterChange(
      trx,
      database.dialect,
      ctx,
      operation,
      { kind: 'leg_added', legId: row.id },
      'leg_added',
    );
    return { leg: toLegView(row), replan };
  });
}

export async function listLegViews(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
): Promise<LegView[]> {
  await visibleOperation(database, ctx, operationId);
  return (await listLegs(database.db, operationId)).map(toLegView);
}

/** A leg and its operation, locked for a change; the leg must be the viewer's. */
export async function lockLegOperation(
  trx: Transaction<DB>,
  database: Database,
  ctx: EvacuationContext,
  legId: string,
): Promise<{ leg: EvacuationLegRow; operation: EvacuationOperationRow }> {
  const found = await findLeg(trx, legId);
  if (!found) throw legNotFound();
  const operation = await lockOpenOperation(trx, database.dialect, ctx, found.operation_id).catch((err) => {
    throw err instanceof AppError && err.code === 'evacuation.operation_not_found' ? legNotFound() : err;
  });
  // Read again under the lock: a concurrent change may have landed in between.
  const leg = await findLeg(trx, legId);
  if (!leg) throw legNotFound();
  return { leg, operation };
}

/** The leg, if the viewer works on its operation's country. */
export async function visibleLeg(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
): Promise<{ leg: EvacuationLegRow; operation: EvacuationOperationRow }> {
  const leg = await findLeg(database.db, legId);
  if (!leg) throw legNotFound();
  const operation = await visibleOperation(database, ctx, leg.operation_id).catch((err) => {
    throw err instanceof AppError && err.code === 'evacuation.operation_not_found' ? legNotFound() : err;
  });
  return { leg, operation };
}

function requireScheduled(leg: EvacuationLegRow): void {
  switch (leg.status) {
    case 'scheduled':
      return;
    case 'cancelled':
      throw new AppError('evacuation.leg_cancelled', 'The leg is cancelled', 409);
    case 'arrived':
      throw new AppError('evacuation.leg_already_arrived', 'The leg has already arrived', 409);
    default:
      throw new AppError('evacuation.boarding_closed', 'Boarding of the leg is closed', 409);
  }
}

/**
 * Changes a scheduled leg's destination, departure or seats. With a plan in force the leg is re-planned
 * as if replaced: people keep their seats wherever the rules still hold, the others are placed again.
 * Fewer seats than people already aboard is refused (409 evacuation.boarded_exceed_capacity).
 */
export async function patchLeg(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
  body: LegPatch,
): Promise<LegChange> {
  const departsAt = body.departsAt !== undefined ? departureOf(ctx, body.departsAt) : undefined;
  return database.db.transaction().execute(async (trx) => {
    const { leg, operation } = await lockLegOperation(trx, database, ctx, legId);
    requireScheduled(leg);
    const seats = body.seats ?? leg.seats;
    const medicalSeats = body.medicalSeats ?? leg.medical_seats;
    checkSeats(seats, medicalSeats);
    const patch = {
      ...(body.destination !== undefined ? { destination: body.destination.trim() } : {}),
      ...(departsAt !== undefined ? { departs_at: departsAt } : {}),
      seats,
      medical_seats: medicalSeats,
      updated_at: ctx.now.toISOString(),
    };
    await updateLeg(trx, legId, patch);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.leg.update', [], {
      operationId: operation.id,
      legId,
      seats,
    });
    const replan = await replanAfterChange(
      trx,
      database.dialect,
      ctx,
      operation,
      { kind: 'leg_added', legId },
      'leg_changed',
    );
    return { leg: toLegView({ ...leg, ...patch }), replan };
  });
}

/** Cancels a leg nobody has boarded; with a plan in force, its people are re-planned onto other legs. */
export async function cancelLeg(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
): Promise<LegChange> {
  return database.db.transaction().execute(async (trx) => {
    const { leg, operation } = await lockLegOperation(trx, database, ctx, legId);
    if (leg.status === 'cancelled')
      throw new AppError('evacuation.leg_cancelled', 'The leg is cancelled', 409);
    if (leg.status === 'arrived')
      throw new AppError('evacuation.leg_already_arrived', 'The leg has already arrived', 409);
    const heads = (await countHeads(trx, [legId])).get(legId)!;
    if (heads.boarded > 0)
      throw new AppError(
        'evacuation.leg_has_boarded',
        'People have boarded this leg; it can no longer be cancelled',
        409,
      );
    const now = ctx.now.toISOString();
    const patch = { status: 'cancelled', cancelled_at: now, updated_at: now };
    await updateLeg(trx, legId, patch);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.leg.cancel', [], {
      operationId: operation.id,
      legId,
      assigned: heads.assigned,
    });
    const replan = await replanAfterChange(
      trx,
      database.dialect,
      ctx,
      operation,
      { kind: 'leg_cancelled', legId },
      'leg_cancelled',
    );
    return { leg: toLegView({ ...leg, ...patch }), replan };
  });
}
