import type { Database } from '../../db/database.ts';
import { GeoError } from '../../domain/geo/geo-error.ts';
import { type PreparedTarget, prepareTarget } from '../../domain/geo/prepared-target.ts';
import type { TargetShape } from '../../domain/geo/target.ts';
import { AppError } from '../../errors.ts';
import { type EvacuationContext, lockOpenOperation } from './evacuation.context.ts';
import {
  findNamedAreaGeometry,
  findOpenEvacuationRequests,
  findOperationAlerts,
  findPeopleNeedingHelp,
  type RequestingPerson,
} from './evacuation.repository.ts';
import type {
  EvacueesFromRequests,
  EvacueesFromRequestsResult,
  RequestSkipReason,
} from './evacuation.schema.ts';
import { addWithHouseholds } from './evacuees.service.ts';

const DAY_MS = 86_400_000;
/** By default, answers to alerts issued up to this long before the operation opened count. */
export const DEFAULT_ALERT_LOOKBACK_MS = 30 * DAY_MS;

type Source = 'help_request' | 'response';

/** The operation's area as a shape to test points against; null when it covers the whole country. */
async function operationArea(
  trx: Parameters<typeof findNamedAreaGeometry>[0],
  areaId: string | null,
): Promise<PreparedTarget | null> {
  if (areaId === null) return null;
  const geometry = await findNamedAreaGeometry(trx, areaId);
  if (geometry === null) return null;
  try {
    return prepareTarget([geometry as TargetShape]);
  } catch (err) {
    // A stored area was checked when it was saved; one that no longer prepares limits nobody.
    if (err instanceof GeoError) return null;
    throw err;
  }
}

/** Where the person was when they asked: the request's own position, else the registry's. */
function positionOf(p: RequestingPerson): { lat: number; lon: number } | null {
  if (p.request_lat !== null && p.request_lon !== null) return { lat: p.request_lat, lon: p.request_lon };
  if (p.lat !== null && p.lon !== null) return { lat: p.lat, lon: p.lon };
  return null;
}

/**
 * Adds to the operation the people located in its country who asked to be evacuated: those with an
 * open help request of type 'evacuation', and those whose latest answer to the operation's alerts is
 * "I need help". Their households come with them. When the operation covers a named area, only
 * people inside it are added. Running it again adds only people who asked since: everyone else is
 * reported as already in the operation. A household with a member claimed by another open
 * operation is refused (409 evacuation.person_in_other_operation) unless the caller asks to skip
 * such households, which are then reported.
 */
export async function addEvacueesFromRequests(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  body: EvacueesFromRequests,
): Promise<EvacueesFromRequestsResult> {
  const sources = new Set(body.sources ?? ['help_requests', 'responses']);
  if (body.alertIds && !sources.has('responses'))
    throw new AppError(
      'evacuation.alerts_without_responses',
      'alertIds choose answers: add "responses"',
      422,
    );
  return database.db.transaction().execute(async (trx) => {
    const operation = await lockOpenOperation(trx, database.dialect, ctx, operationId);

    const fromRequests = sources.has('help_requests')
      ? await findOpenEvacuationRequests(trx, operation.country)
      : [];
    let alertIds: string[] = [];
    if (sources.has('responses')) {
      const since =
        body.since ?? new Date(Date.parse(operation.created_at) - DEFAULT_ALERT_LOOKBACK_MS).toISOString();
      const alerts = await findOperationAlerts(
        trx,
        operation.country,
        body.alertIds ? { alertIds: body.alertIds } : { since: new Date(since).toISOString() },
      );
      alertIds = [...new Set(alerts.map((a) => a.id))];
      if (body.alertIds && alertIds.length !== body.alertIds.length)
        throw new AppError(
          'evacuation.alert_not_found',
          "Some of the alerts named were not issued for the operation's country",
          422,
          { missing: body.alertIds.length - alertIds.length },
        );
    }
    const fromResponses = await findPeopleNeedingHelp(trx, operation.country, alertIds);

    const candidates = new Map<string, { person: RequestingPerson; source: Source }>();
    for (const person of fromRequests) candidates.set(person.id, { person, source: 'help_request' });
    for (const person of fromResponses)
      if (!candidates.has(person.id)) candidates.set(person.id, { person, source: 'response' });

    const skipped: { personId: string; reason: RequestSkipReason }[] = [];
    const area = await operationArea(trx, operation.area_id);
    const requested = new Map<string, RequestingPerson>();
    for (const [id, { person }] of candidates) {
      if (area) {
        const at = positionOf(person);
        if (!at) {
          skipped.push({ personId: id, reason: 'location_unknown' });
          continue;
        }
        if (!area.contains(at.lon, at.lat)) {
          skipped.push({ personId: id, reason: 'outside_operation_area' });
          continue;
        }
      }
      requested.set(id, person);
    }

    const result = await addWithHouseholds(
      trx,
      database,
      ctx,
      operationId,
      requested,
      (id) => candidates.get(id)?.source ?? 'response',
      { skipClaimed: body.skipPersonsInOtherOperations === true },
    );
    for (const id of requested.keys())
      if (result.already.has(id)) skipped.push({ personId: id, reason: 'already_in_operation' });
    for (const id of result.blockedRequested) skipped.push({ personId: id, reason: 'in_other_operation' });
    skipped.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));

    const skippedByReason: Record<string, number> = {};
    for (const s of skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
    return {
      found: { helpRequests: fromRequests.length, responses: fromResponses.length, alerts: alertIds.length },
      added: result.rows.length,
      householdMembersAdded: result.householdMembersAdded,
      householdMembersOutsideJurisdiction: result.outsideJurisdiction,
      addedPersons: result.rows.map((r) => ({
        personId: r.person_id,
        source: r.source as 'help_request' | 'response' | 'household',
      })),
      skipped,
      skippedByReason,
    };
  });
}
