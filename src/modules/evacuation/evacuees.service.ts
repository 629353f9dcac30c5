import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { toAlpha2 } from '../../domain/reference/countries.ts';
import { AppError } from '../../errors.ts';
import {
  auditEvacuation,
  type EvacuationContext,
  evacueeNotFound,
  lockOpenOperation,
  mayWorkIn,
  millis,
  operationCountries,
  visibleOperation,
} from './evacuation.context.ts';
import {
  type CandidatePerson,
  findCandidatesByFilter,
  findCandidatesByIds,
  findClaimsElsewhere,
  findEvacuee,
  findEvacueeIdsIn,
  findHouseholdKinds,
  findHouseholdMembers,
  insertEvacuees,
  listAssemblyPoints,
  listEvacueePage,
  listLegs,
  updateEvacuee,
} from './evacuation.repository.ts';
import type {
  EvacueePatch,
  EvacueeQuery,
  EvacueesAdd,
  EvacueesAdded,
  EvacueeView,
  PlanResult,
} from './evacuation.schema.ts';
import type { EvacuationEvacueeTable } from './evacuation.table.ts';
import { needsTravelDocument, replanAfterChange } from './planning.service.ts';

/** Most persons one filter may add at once: a country's whole registered population at a large post. */
export const MAX_FILTER_PERSONS = 200_000;

const isUniqueViolation = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
};

const claimedElsewhere = (persons: number, operationIds: string[]) =>
  new AppError(
    'evacuation.person_in_other_operation',
    `${persons} of these persons belong to another open evacuation operation; close it, or add with skipPersonsInOtherOperations`,
    409,
    { persons, operationIds },
  );

/**
 * Adds persons to an operation, named one by one or matched by a filter. Households travel together:
 * every member of a named person's household is added too, and the answer says how many. A person
 * claimed by another open operation makes the request fail (409) unless the caller asks to leave
 * such households out. Persons outside a consular officer's jurisdiction are not found.
 */
export async function addEvacuees(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  body: EvacueesAdd,
): Promise<EvacueesAdded> {
  if (!body.personIds?.length && !body.filter) {
    throw new AppError('evacuation.selection_empty', 'Name persons (personIds) or give a filter', 422);
  }
  return database.db.transaction().execute(async (trx) => {
    const operation = await lockOpenOperation(trx, database.dialect, ctx, operationId);
    const countries = operationCountries(ctx.viewer);
    const visible = (p: CandidatePerson) =>
      countries === null || (p.location_country !== null && countries.includes(p.location_country));

    const requested = new Map<string, CandidatePerson>();
    const named = new Set(body.personIds ?? []);
    if (named.size > 0) {
      const found = (await findCandidatesByIds(trx, [...named])).filter(visible);
      if (found.length !== named.size) {
        const missing = named.size - found.length;
        throw new AppError(
          'evacuation.person_not_found',
          `${missing} of the persons named were not found`,
          404,
          {
            missing,
          },
        );
      }
      for (const p of found) requested.set(p.id, p);
    }
    if (body.filter) {
      const country = toAlpha2(body.filter.country ?? operation.country);
      if (!country) throw new AppError('request.country_unknown', 'country is not an ISO 3166-1 code', 422);
      if (!mayWorkIn(ctx.viewer, country))
        throw new AppError('access.denied_record', 'The country is outside your jurisdiction', 403);
      const filter = {
        country,
        ...(body.filter.householdIds ? { householdIds: body.filter.householdIds } : {}),
      };
      const matched = await findCandidatesByFilter(trx, filter, MAX_FILTER_PERSONS + 1);
      if (matched.length > MAX_FILTER_PERSONS)
        throw new AppError(
          'evacuation.selection_too_large',
          `A filter may add at most ${MAX_FILTER_PERSONS} persons at once; narrow it`,
          422,
        );
      for (const p of matched) requested.set(p.id, p);
    }

    const sourceOf = (id: string): EvacueeSource => body.source ?? (named.has(id) ? 'selection' : 'filter');
    const result = await addWithHouseholds(trx, database, ctx, operationId, requested, sourceOf, {
      skipClaimed: body.skipPersonsInOtherOperations === true,
    });
    return {
      added: result.rows.length,
      requested: requested.size,
      householdMembersAdded: result.householdMembersAdded,
      householdsExpanded: result.householdsExpanded,
      alreadyInOperation: result.already.size,
      skippedInOtherOperations: result.skippedInOtherOperations,
      householdMembersOutsideJurisdiction: result.outsideJurisdiction,
      personIds: result.rows.map((r) => r.person_id),
    };
  });
}

/** How a person came to be an evacuee (stored in evacuation_evacuees.source). */
export type EvacueeSource = 'selection' | 'filter' | 'household' | 'response' | 'help_request';

/** What adding a set of persons (and their households) did. */
export type AddedWithHouseholds = {
  rows: EvacuationEvacueeTable[];
  /** Persons already evacuees of this operation, among those requested or their households. */
  already: Set<string>;
  /** Requested persons left out because their household has a member claimed elsewhere. */
  blockedRequested: string[];
  skippedInOtherOperations: number;
  householdMembersAdded: number;
  householdsExpanded: number;
  outsideJurisdiction: number;
};

/**
 * Adds the requested persons and every member of their households (households travel together) to
 * the operation, inside the caller's transaction with the operation locked. A household with a
 * member claimed by another open operation is refused (409) or, with `skipClaimed`, left out whole.
 * Household members outside the viewer's jurisdiction are counted, not added. The add is audited.
 */
export async function addWithHouseholds(
  trx: Transaction<DB>,
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  requested: ReadonlyMap<string, CandidatePerson>,
  sourceOf: (personId: string) => EvacueeSource,
  options: { skipClaimed: boolean },
): Promise<AddedWithHouseholds> {
  const countries = operationCountries(ctx.viewer);
  const visible = (p: CandidatePerson) =>
    countries === null || (p.location_country !== null && countries.includes(p.location_country));

  // Households travel together: bring in every member of each household touched.
  const all = new Map(requested);
  const households = [
    ...new Set([...requested.values()].flatMap((p) => (p.household_id ? [p.household_id] : []))),
  ];
  let outsideJurisdiction = 0;
  for (const member of await findHouseholdMembers(trx, households)) {
    if (all.has(member.id)) continue;
    if (!visible(member)) {
      outsideJurisdiction++;
      continue;
    }
    all.set(member.id, member);
  }

  const groupOf = (p: CandidatePerson) => p.household_id ?? p.id;
  const already = await findEvacueeIdsIn(trx, operationId, [...all.keys()]);
  const fresh = [...all.values()].filter((p) => !already.has(p.id));
  const claims = await findClaimsElsewhere(
    trx,
    operationId,
    fresh.map((p) => p.id),
  );
  const blockedGroups = new Set<string>();
  if (claims.length > 0) {
    if (!options.skipClaimed)
      throw claimedElsewhere(claims.length, [...new Set(claims.map((c) => c.operation_id))]);
    for (const c of claims) blockedGroups.add(groupOf(all.get(c.person_id)!));
  }
  const adding = fresh.filter((p) => !blockedGroups.has(groupOf(p)));
  const kinds = new Map(
    (
      await findHouseholdKinds(trx, [
        ...new Set(adding.flatMap((p) => (p.household_id ? [p.household_id] : []))),
      ])
    ).map((h) => [h.id, h.kind]),
  );
  const now = ctx.now.toISOString();
  const rows: EvacuationEvacueeTable[] = adding.map((p) => ({
    operation_id: operationId,
    person_id: p.id,
    group_id: groupOf(p),
    group_kind: p.household_id ? (kinds.get(p.household_id) ?? 'household') : 'single',
    source: requested.has(p.id) ? sourceOf(p.id) : 'household',
    etd_ready_at: null,
    needs_medical_seat: 0,
    needs_accessible_site: null,
    active_claim: p.id,
    added_at: now,
    added_by: ctx.viewer.userId,
    updated_at: now,
  }));
  try {
    await insertEvacuees(trx, rows);
  } catch (err) {
    // Another operation claimed one of them between our check and our insert.
    if (isUniqueViolation(err)) throw claimedElsewhere(1, []);
    throw err;
  }
  const householdMembersAdded = rows.filter((r) => r.source === 'household');
  await auditEvacuation(
    trx,
    database.dialect,
    ctx,
    'evacuation.evacuees.add',
    rows.map((r) => r.person_id),
    { operationId, added: rows.length, householdMembers: householdMembersAdded.length },
  );
  return {
    rows,
    already,
    blockedRequested: [...requested.values()]
      .filter((p) => !already.has(p.id) && blockedGroups.has(groupOf(p)))
      .map((p) => p.id),
    skippedInOtherOperations: fresh.length - adding.length,
    householdMembersAdded: householdMembersAdded.length,
    householdsExpanded: new Set(householdMembersAdded.map((r) => r.group_id)).size,
    outsideJurisdiction,
  };
}

type EvacueeRow = Awaited<ReturnType<typeof listEvacueePage>>[number];

function toEvacueeView(row: EvacueeRow): EvacueeView {
  return {
    personId: row.person_id,
    givenNames: row.given_names,
    familyName: row.family_name,
    householdId: row.household_id,
    groupId: row.group_id,
    groupKind: row.group_kind,
    source: row.source,
    documentStatus: row.document_status,
    needsEmergencyTravelDocument: needsTravelDocument(row.document_status),
    etdReadyAt: row.etd_ready_at,
    needsMedicalSeat: row.needs_medical_seat === 1,
    needsAccessibleSite: row.needs_accessible_site === null ? null : row.needs_accessible_site === 1,
    placement:
      row.plan_id === null || row.tier === null
        ? null
        : {
            tier: row.tier,
            legId: row.leg_id,
            assemblyPointId: row.assembly_point_id,
            seat: row.seat,
            reason: row.reason,
          },
    boarded: row.scanned_at !== null,
    addedAt: row.added_at,
  };
}

/** One page of the operation's evacuees (by person id), with names; the read is audited. */
export async function listEvacuees(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  query: EvacueeQuery,
): Promise<{ items: EvacueeView[]; nextAfter: string | null }> {
  await visibleOperation(database, ctx, operationId);
  const limit = query.limit ?? 500;
  return database.db.transaction().execute(async (trx) => {
    const rows = await listEvacueePage(trx, operationId, {
      ...(query.after ? { after: query.after } : {}),
      limit,
    });
    await auditEvacuation(
      trx,
      database.dialect,
      ctx,
      'evacuation.evacuees.read',
      rows.map((r) => r.person_id),
      { operationId },
    );
    return {
      items: rows.map(toEvacueeView),
      nextAfter: rows.length === limit ? rows[rows.length - 1]!.person_id : null,
    };
  });
}

/**
 * Records when an evacuee's emergency travel document will be ready, or their seat and access needs.
 * With a plan in force, a change that breaks the person's placement, or concerns someone still
 * waiting, re-plans incrementally at once, so no pass is issued for a leg they cannot take.
 */
export async function patchEvacuee(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  personId: string,
  body: EvacueePatch,
): Promise<{ evacuee: EvacueeView; replan: PlanResult | null }> {
  return database.db.transaction().execute(async (trx) => {
    const operation = await lockOpenOperation(trx, database.dialect, ctx, operationId);
    const evacuee = await findEvacuee(trx, operationId, personId);
    if (!evacuee) throw evacueeNotFound();
    if (body.etdReadyAt && !needsTravelDocument(evacuee.document_status)) {
      throw new AppError(
        'evacuation.etd_not_needed',
        'This person travels on their own passport and needs no emergency travel document',
        422,
      );
    }
    const patch = {
      ...(body.etdReadyAt !== undefined
        ? { etd_ready_at: body.etdReadyAt === null ? null : new Date(millis(body.etdReadyAt)).toISOString() }
        : {}),
      ...(body.needsMedicalSeat !== undefined ? { needs_medical_seat: body.needsMedicalSeat ? 1 : 0 } : {}),
      ...(body.needsAccessibleSite !== undefined
        ? {
            needs_accessible_site:
              body.needsAccessibleSite === null ? null : body.needsAccessibleSite ? 1 : 0,
          }
        : {}),
      updated_at: ctx.now.toISOString(),
    };
    await updateEvacuee(trx, operationId, personId, patch);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.evacuee.update', [personId], {
      operationId,
      etd: body.etdReadyAt !== undefined,
    });

    let replan: PlanResult | null = null;
    const [current] = await listEvacueePage(trx, operationId, { personId, limit: 1 });
    if (current?.plan_id && (current.leg_id === null || (await placementBroken(trx, current)))) {
      replan = await replanAfterChange(
        trx,
        database.dialect,
        ctx,
        operation,
        { kind: 'no_shows_released', evacueeIds: [] },
        'evacuee_changed',
      );
    }
    const [row] = await listEvacueePage(trx, operationId, { personId, limit: 1 });
    return { evacuee: toEvacueeView(row!), replan };
  });
}

/** Whether a placed, not yet boarded evacuee's seat still suits them after a change. */
async function placementBroken(trx: Parameters<typeof listLegs>[0], row: EvacueeRow): Promise<boolean> {
  if (row.scanned_at !== null || row.leg_id === null) return false;
  const leg = (await listLegs(trx, row.operation_id)).find((l) => l.id === row.leg_id);
  const point = (await listAssemblyPoints(trx, row.operation_id)).find((p) => p.id === row.assembly_point_id);
  if (!leg || !point) return true;
  if (needsTravelDocument(row.document_status)) {
    if (row.etd_ready_at === null || millis(row.etd_ready_at) > millis(leg.departs_at)) return true;
  }
  if (row.needs_medical_seat === 1 && row.seat !== 'medical') return true;
  if (row.needs_accessible_site === 1 && point.accessible !== 1) return true;
  return false;
}
