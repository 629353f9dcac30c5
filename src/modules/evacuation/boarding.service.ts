import QRCode from 'qrcode';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { claimedOperationId, signBoardingToken, verifyBoardingToken } from './boarding-token.ts';
import {
  auditEvacuation,
  type EvacuationContext,
  lockOpenOperation,
  millis,
  operationCountries,
  visibleOperation,
} from './evacuation.context.ts';
import {
  countHeads,
  findBoarding,
  findLeg,
  findPersonNames,
  findPlacement,
  insertBoarding,
  insertReturnCases,
  listAssemblyPoints,
  listBoardedOnLeg,
  listBoardingLegs,
  listHubs,
  listLegPassengers,
  listLegs,
  listReturnCases,
  updateLeg,
} from './evacuation.repository.ts';
import type {
  ArrivalBody,
  ArrivalResult,
  BoardingLegs,
  BoardingPasses,
  CloseBoardingResult,
  HeadCount,
  ScanBatch,
  ScanBatchResult,
  ScanBody,
  ScanResult,
} from './evacuation.schema.ts';
import type { EvacuationLegRow, ReturnCaseTable } from './evacuation.table.ts';
import { toLegView } from './evacuation.views.ts';
import type { Manifest } from './manifest.ts';
import { lockLegOperation, visibleLeg } from './operations.service.ts';
import { replanAfterChange } from './planning.service.ts';

const HOUR_MS = 3_600_000;
/** A pass stays valid this long after its leg's scheduled departure, for delays. */
const PASS_VALID_AFTER_DEPARTURE_MS = 24 * HOUR_MS;

/** When a pass for the leg stops being valid (epoch milliseconds, whole seconds as the token keeps it). */
export const passExpiresAt = (leg: Pick<EvacuationLegRow, 'departs_at'>): number =>
  Math.floor((millis(leg.departs_at) + PASS_VALID_AFTER_DEPARTURE_MS) / 1000) * 1000;
/** How far ahead of the server's clock a scanning device's clock may run. */
const CLOCK_SKEW_MS = 10 * 60_000;

const tokenInvalid = () =>
  new AppError(
    'evacuation.token_invalid',
    'The boarding pass is not valid: it is malformed, altered or forged',
    422,
  );
const wrongLeg = (detail: string) => new AppError('evacuation.wrong_leg', detail, 409);

/** Why a leg can no longer be boarded (or have passes issued), or null while it is scheduled. */
export function legBoardingClosedError(leg: EvacuationLegRow): AppError | null {
  switch (leg.status) {
    case 'scheduled':
      return null;
    case 'cancelled':
      return new AppError('evacuation.leg_cancelled', 'The leg is cancelled', 409);
    case 'arrived':
      return new AppError('evacuation.leg_already_arrived', 'The leg has already arrived', 409);
    default:
      return new AppError('evacuation.boarding_closed', 'Boarding of the leg is closed', 409);
  }
}

async function headCountOf(db: Parameters<typeof countHeads>[0], leg: EvacuationLegRow): Promise<HeadCount> {
  const heads = (await countHeads(db, [leg.id])).get(leg.id)!;
  return { legId: leg.id, boarded: heads.boarded, assigned: heads.assigned, seats: leg.seats };
}

// ---------------------------------------------------------------------------------- manifest, passes

/** The leg's manifest: who is placed on it, in household order; the read is audited. */
export async function legManifest(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
  format: 'csv' | 'html' | 'json',
): Promise<Manifest> {
  const { leg, operation } = await visibleLeg(database, ctx, legId);
  return database.db.transaction().execute(async (trx) => {
    const passengers = await listLegPassengers(trx, legId);
    const points = new Map((await listAssemblyPoints(trx, operation.id)).map((p) => [p.id, p.name]));
    const hubs = new Map((await listHubs(trx, operation.id)).map((h) => [h.id, h.name]));
    await auditEvacuation(
      trx,
      database.dialect,
      ctx,
      'evacuation.manifest.read',
      passengers.map((p) => p.person_id),
      { operationId: operation.id, legId, format },
    );
    return {
      crisis: operation.crisis,
      country: operation.country,
      leg: {
        id: leg.id,
        mode: leg.mode,
        origin:
          (leg.origin_hub_id
            ? hubs.get(leg.origin_hub_id)
            : points.get(leg.origin_assembly_point_id ?? '')) ?? '',
        destination: leg.destination,
        departsAt: leg.departs_at,
        status: leg.status,
        seats: leg.seats,
        medicalSeats: leg.medical_seats,
      },
      generatedAt: ctx.now.toISOString(),
      entries: passengers.map((p) => ({
        personId: p.person_id,
        familyName: p.family_name,
        givenNames: p.given_names,
        household: p.household_label,
        seat: p.seat ?? 'regular',
        assemblyPoint: points.get(p.assembly_point_id ?? '') ?? '',
        documentStatus: p.document_status,
        etdReadyAt: p.etd_ready_at,
        boardedAt: p.scanned_at,
      })),
    };
  });
}

/** The QR code of a pass token, as SVG markup. */
export const qrSvg = (token: string): Promise<string> =>
  QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });

const qrDataUrl = async (token: string): Promise<string> =>
  `data:image/svg+xml;base64,${Buffer.from(await qrSvg(token)).toString('base64')}`;

/**
 * A boarding pass for everyone the plan puts on the leg: a token signed with the operation's key
 * (naming operation, leg and person, valid until a day after departure) and its QR code. The read is
 * audited. A re-plan that moves someone makes their old pass fail at the door (`evacuation.wrong_leg`).
 */
export async function boardingPasses(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
): Promise<BoardingPasses> {
  const { leg, operation } = await visibleLeg(database, ctx, legId);
  const closed = legBoardingClosedError(leg);
  if (closed) throw closed;
  const expiresAt = passExpiresAt(leg);
  return database.db.transaction().execute(async (trx) => {
    const passengers = await listLegPassengers(trx, legId);
    const points = new Map((await listAssemblyPoints(trx, operation.id)).map((p) => [p.id, p.name]));
    const items: BoardingPasses['items'] = [];
    for (const p of passengers) {
      const token = signBoardingToken(
        { operationId: operation.id, legId, personId: p.person_id, expiresAt },
        operation.boarding_key,
      );
      items.push({
        personId: p.person_id,
        givenNames: p.given_names,
        familyName: p.family_name,
        seat: p.seat ?? 'regular',
        assemblyPointId: p.assembly_point_id ?? '',
        assemblyPointName: points.get(p.assembly_point_id ?? '') ?? '',
        departsAt: leg.departs_at,
        token,
        expiresAt: new Date(expiresAt).toISOString(),
        qrCodeDataUrl: await qrDataUrl(token),
      });
    }
    await auditEvacuation(
      trx,
      database.dialect,
      ctx,
      'evacuation.boarding_passes.read',
      items.map((i) => i.personId),
      { operationId: operation.id, legId },
    );
    return { legId, items };
  });
}

// ------------------------------------------------------------------------------------------- scanning

/**
 * Boards the person a pass names, at the leg the scanner is boarding. A pass scanned again at the same
 * leg answers `alreadyBoarded` and counts once. Refusals: a malformed, altered or forged pass (422
 * `evacuation.token_invalid`), an expired one (422 `evacuation.token_expired`), a pass for another
 * leg or one the person has been moved off since (409 `evacuation.wrong_leg`), a cancelled leg or one
 * whose boarding is closed (409).
 */
export async function scanPass(
  database: Database,
  ctx: EvacuationContext,
  scan: ScanBody,
): Promise<ScanResult> {
  const scannedAt = millis(scan.scannedAt);
  if (scannedAt > ctx.now.getTime() + CLOCK_SKEW_MS)
    throw new AppError('evacuation.scan_time_invalid', "The scan time lies ahead of the server's clock", 422);
  const operationId = claimedOperationId(scan.token);
  if (!operationId) throw tokenInvalid();
  return database.db.transaction().execute(async (trx) => {
    const operation = await lockOpenOperation(trx, database.dialect, ctx, operationId).catch((err) => {
      throw err instanceof AppError && err.code === 'evacuation.operation_not_found' ? tokenInvalid() : err;
    });
    const claims = verifyBoardingToken(scan.token, operation.boarding_key);
    if (!claims) throw tokenInvalid();
    if (claims.expiresAt < scannedAt)
      throw new AppError('evacuation.token_expired', 'The boarding pass has expired', 422);
    if (claims.legId !== scan.legId) throw wrongLeg('The boarding pass is for another leg');
    const leg = await findLeg(trx, scan.legId);
    if (!leg || leg.operation_id !== operation.id) throw wrongLeg('The boarding pass is for another leg');
    const names = await findPersonNames(trx, claims.personId);
    const result = async (alreadyBoarded: boolean, seat: string, at: string): Promise<ScanResult> => ({
      status: 'boarded',
      alreadyBoarded,
      personId: claims.personId,
      givenNames: names?.given_names ?? '',
      familyName: names?.family_name ?? null,
      legId: leg.id,
      seat,
      scannedAt: at,
      headCount: await headCountOf(trx, leg),
    });

    const existing = await findBoarding(trx, operation.id, claims.personId);
    if (existing) {
      if (existing.leg_id !== leg.id)
        throw new AppError(
          'evacuation.boarded_other_leg',
          'This person has already boarded another leg',
          409,
        );
      await auditEvacuation(trx, database.dialect, ctx, 'evacuation.boarding.rescan', [claims.personId], {
        operationId: operation.id,
        legId: leg.id,
        deviceId: scan.deviceId,
      });
      return result(true, existing.seat, existing.scanned_at);
    }
    const closed = legBoardingClosedError(leg);
    if (closed) throw closed;
    const placement = await findPlacement(trx, operation.id, claims.personId);
    if (!placement || placement.leg_id !== leg.id || placement.assembly_point_id === null) {
      throw wrongLeg('The person is no longer assigned to this leg; give them their new pass');
    }
    const at = new Date(scannedAt).toISOString();
    await insertBoarding(trx, {
      operation_id: operation.id,
      person_id: claims.personId,
      leg_id: leg.id,
      assembly_point_id: placement.assembly_point_id,
      seat: placement.seat ?? 'regular',
      scanned_at: at,
      recorded_at: ctx.now.toISOString(),
      device_id: scan.deviceId,
      recorded_by: ctx.viewer.userId,
    });
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.boarding.scan', [claims.personId], {
      operationId: operation.id,
      legId: leg.id,
      deviceId: scan.deviceId,
    });
    return result(false, placement.seat ?? 'regular', at);
  });
}

/**
 * Scans queued by a device while offline, in the order taken, each answered on its own (a refusal
 * does not stop the others), with the head count of every leg they touched.
 */
export async function scanBatch(
  database: Database,
  ctx: EvacuationContext,
  batch: ScanBatch,
): Promise<ScanBatchResult> {
  const results: ScanBatchResult['results'] = [];
  const legs = new Map<string, HeadCount>();
  for (const [index, scan] of batch.scans.entries()) {
    try {
      const result = await scanPass(database, ctx, scan);
      legs.set(result.legId, result.headCount);
      results.push({ index, ok: true, result });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ index, ok: false, status: err.status, code: err.code, detail: err.message });
    }
  }
  return { results, headCounts: [...legs.values()] };
}

/** The legs a scanner may board now (open operations in the viewer's countries) with their head counts. */
export async function boardingLegs(database: Database, ctx: EvacuationContext): Promise<BoardingLegs> {
  const legs = await listBoardingLegs(database.db, operationCountries(ctx.viewer));
  const heads = await countHeads(
    database.db,
    legs.map((l) => l.id),
  );
  return {
    items: legs.map((l) => ({
      legId: l.id,
      operationId: l.operation_id,
      crisis: l.crisis,
      country: l.country,
      mode: l.mode,
      destination: l.destination,
      departsAt: l.departs_at,
      status: l.status,
      headCount: { legId: l.id, ...heads.get(l.id)!, seats: l.seats },
    })),
  };
}

/** Head counts of every leg of an operation. */
export async function operationHeadCounts(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
): Promise<{ items: HeadCount[] }> {
  await visibleOperation(database, ctx, operationId);
  const legs = await listLegs(database.db, operationId);
  const heads = await countHeads(
    database.db,
    legs.map((l) => l.id),
  );
  return { items: legs.map((l) => ({ legId: l.id, ...heads.get(l.id)!, seats: l.seats })) };
}

// ------------------------------------------------------------------------------ departure and arrival

/**
 * Closes boarding of a leg: whoever the plan put on it and did not board is a no-show, released and
 * re-planned onto other legs (never the one they missed); nobody boarded moves.
 */
export async function closeBoarding(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
): Promise<CloseBoardingResult> {
  return database.db.transaction().execute(async (trx) => {
    const { leg, operation } = await lockLegOperation(trx, database, ctx, legId);
    const closed = legBoardingClosedError(leg);
    if (closed) throw closed;
    const boarded = new Set((await listBoardedOnLeg(trx, legId)).map((b) => b.person_id));
    const placed = (await listLegPassengers(trx, legId)).map((p) => p.person_id);
    const noShows = placed.filter((id) => !boarded.has(id));
    const now = ctx.now.toISOString();
    const patch = { status: 'boarding_closed', boarding_closed_at: now, updated_at: now };
    await updateLeg(trx, legId, patch);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.boarding.close', noShows, {
      operationId: operation.id,
      legId,
      boarded: boarded.size,
      noShows: noShows.length,
    });
    const replan =
      noShows.length > 0
        ? await replanAfterChange(
            trx,
            database.dialect,
            ctx,
            operation,
            { kind: 'no_shows_released', evacueeIds: noShows },
            'no_shows_released',
          )
        : null;
    return { leg: toLegView({ ...leg, ...patch }), boarded: boarded.size, noShows: noShows.length, replan };
  });
}

/**
 * Confirms a leg's arrival. Everyone aboard moves to the return-and-reintegration stage: each gets an
 * open return case (once, however often arrival is confirmed).
 */
export async function confirmArrival(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
  body: ArrivalBody,
): Promise<ArrivalResult> {
  const arrivedAt = body.arrivedAt ? millis(body.arrivedAt) : ctx.now.getTime();
  if (arrivedAt > ctx.now.getTime() + CLOCK_SKEW_MS)
    throw new AppError('evacuation.arrival_in_future', 'The arrival time lies in the future', 422);
  return database.db.transaction().execute(async (trx) => {
    const { leg, operation } = await lockLegOperation(trx, database, ctx, legId);
    if (leg.status === 'scheduled')
      throw new AppError(
        'evacuation.boarding_not_closed',
        'Close boarding of the leg before confirming arrival',
        409,
      );
    if (leg.status === 'cancelled')
      throw new AppError('evacuation.leg_cancelled', 'The leg is cancelled', 409);
    if (leg.status === 'arrived')
      throw new AppError('evacuation.leg_already_arrived', 'The leg has already arrived', 409);
    const now = ctx.now.toISOString();
    const patch = { status: 'arrived', arrived_at: new Date(arrivedAt).toISOString(), updated_at: now };
    await updateLeg(trx, legId, patch);
    const aboard = (await listBoardedOnLeg(trx, legId)).map((b) => b.person_id);
    const cases: ReturnCaseTable[] = aboard.map((personId) => ({
      id: newId(ctx.now.getTime()),
      person_id: personId,
      operation_id: operation.id,
      leg_id: legId,
      stage: 'reintegration',
      status: 'open',
      opened_at: now,
      opened_by: ctx.viewer.userId,
      updated_at: now,
    }));
    const opened = await insertReturnCases(trx, cases);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.leg.arrive', aboard, {
      operationId: operation.id,
      legId,
      arrived: aboard.length,
      returnCasesOpened: opened,
    });
    return { leg: toLegView({ ...leg, ...patch }), arrived: aboard.length, returnCasesOpened: opened };
  });
}

/** The return cases an operation's arrivals opened; the read is audited. */
export async function operationReturnCases(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
): Promise<{
  items: {
    id: string;
    personId: string;
    legId: string | null;
    stage: string;
    status: string;
    openedAt: string;
  }[];
}> {
  await visibleOperation(database, ctx, operationId);
  return database.db.transaction().execute(async (trx) => {
    const rows = await listReturnCases(trx, operationId);
    await auditEvacuation(
      trx,
      database.dialect,
      ctx,
      'evacuation.return_cases.read',
      rows.map((r) => r.person_id),
      { operationId },
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        personId: r.person_id,
        legId: r.leg_id,
        stage: r.stage,
        status: r.status,
        openedAt: r.opened_at,
      })),
    };
  });
}
