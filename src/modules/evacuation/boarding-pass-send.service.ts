import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { currentDeliverySettings } from '../delivery/delivery.settings.ts';
import { queueDirectMessage } from '../delivery/direct-messages.ts';
import { legBoardingClosedError, passExpiresAt, qrSvg } from './boarding.service.ts';
import { type PassLanguage, passLanguageOf } from './boarding-pass-messages.ts';
import {
  type PassFacts,
  type PassPageState,
  passEmailHtml,
  passMessage,
  passUrl,
} from './boarding-pass-page.ts';
import { claimedOperationId, signBoardingToken, verifyBoardingToken } from './boarding-token.ts';
import { auditEvacuation, type EvacuationContext, millis } from './evacuation.context.ts';
import {
  findBoarding,
  findLeg,
  findOperation,
  findPassSends,
  findPersonLanguages,
  findPlacement,
  insertPassSend,
  listAssemblyPoints,
  listHubs,
  listLegPassengers,
} from './evacuation.repository.ts';
import type { BoardingPassSend, BoardingPassSendResult } from './evacuation.schema.ts';
import type {
  EvacuationAssemblyPointRow,
  EvacuationHubRow,
  EvacuationLegRow,
  EvacuationOperationRow,
} from './evacuation.table.ts';
import { lockLegOperation } from './operations.service.ts';

const MINUTE_MS = 60_000;
/** A pass for a departure this close goes before alerts in the outbox: someone must act on it now. */
const URGENT_WITHIN_MS = 12 * 60 * MINUTE_MS;

/** When people bound for the leg must be at their assembly point: earlier by the transfer for a hub. */
function gatherAt(leg: EvacuationLegRow, hubs: readonly EvacuationHubRow[]): number {
  const hub = leg.origin_hub_id ? hubs.find((h) => h.id === leg.origin_hub_id) : undefined;
  return millis(leg.departs_at) - (hub ? hub.transfer_minutes * MINUTE_MS : 0);
}

/** Everything a person's pass for the leg says, its token signed with the operation's key. */
async function passFacts(
  operation: EvacuationOperationRow,
  leg: EvacuationLegRow,
  hubs: readonly EvacuationHubRow[],
  point: EvacuationAssemblyPointRow | undefined,
  personId: string,
): Promise<PassFacts> {
  const expiresAt = passExpiresAt(leg);
  const token = signBoardingToken(
    { operationId: operation.id, legId: leg.id, personId, expiresAt },
    operation.boarding_key,
  );
  return {
    crisis: operation.crisis,
    mode: leg.mode,
    destination: leg.destination,
    departsAt: leg.departs_at,
    assemblyPoint: point?.name ?? '',
    gatherAt: new Date(gatherAt(leg, hubs)).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    token,
    qrSvg: await qrSvg(token),
  };
}

/**
 * What identifies one pass as sent: the token (operation, leg, person, validity) and what the message
 * told the person beside it. A re-plan or a leg change that alters any of it makes a new pass.
 */
const passKeyOf = (facts: PassFacts, assemblyPointId: string): string =>
  sha256Hex(JSON.stringify([facts.token, assemblyPointId, facts.gatherAt, facts.destination, facts.mode]));

/**
 * Sends each person the plan puts on the leg their boarding pass, as a direct message on their own
 * channels (through the delivery outbox), in their language: the leg, the assembly point and when to
 * be there, and a link to the pass page with the QR code (inline too in an e-mail). Idempotent: a pass
 * already sent is not sent again, but a pass changed by a re-plan (another leg, assembly point or
 * time) is. People aboard get none; people with no consented contact are reported. The messages and
 * the record of them commit together, with the audit entry.
 */
export async function sendBoardingPasses(
  database: Database,
  ctx: EvacuationContext,
  legId: string,
  body: BoardingPassSend,
): Promise<BoardingPassSendResult> {
  const { publicUrl, smsMaxSegments } = currentDeliverySettings();
  return database.db.transaction().execute(async (trx) => {
    const { leg, operation } = await lockLegOperation(trx, database, ctx, legId);
    const closed = legBoardingClosedError(leg);
    if (closed) throw closed;
    let passengers = await listLegPassengers(trx, legId);
    if (body.personIds) {
      const wanted = new Set(body.personIds);
      passengers = passengers.filter((p) => wanted.has(p.person_id));
      if (passengers.length !== wanted.size)
        throw new AppError(
          'evacuation.person_not_on_leg',
          `${wanted.size - passengers.length} of the persons named have no seat on this leg`,
          422,
          { missing: wanted.size - passengers.length },
        );
    }
    const points = new Map((await listAssemblyPoints(trx, operation.id)).map((p) => [p.id, p]));
    const hubs = await listHubs(trx, operation.id);
    const languages = await findPersonLanguages(
      trx,
      passengers.map((p) => p.person_id),
    );
    const sentBefore = await findPassSends(trx, legId);
    const urgent = gatherAt(leg, hubs) - ctx.now.getTime() < URGENT_WITHIN_MS;

    const result: BoardingPassSendResult = {
      legId,
      sent: [],
      skipped: [],
      counts: { sent: 0, alreadySent: 0, unreachable: 0, alreadyBoarded: 0 },
    };
    for (const p of passengers) {
      if (p.scanned_at !== null) {
        result.skipped.push({ personId: p.person_id, reason: 'already_boarded' });
        result.counts.alreadyBoarded++;
        continue;
      }
      const pointId = p.assembly_point_id ?? '';
      const facts = await passFacts(operation, leg, hubs, points.get(pointId), p.person_id);
      const passKey = passKeyOf(facts, pointId);
      if (sentBefore.get(p.person_id)?.has(passKey)) {
        result.skipped.push({ personId: p.person_id, reason: 'already_sent' });
        result.counts.alreadySent++;
        continue;
      }
      const lang: PassLanguage = passLanguageOf(languages.get(p.person_id) ?? []);
      const url = passUrl(publicUrl, facts.token, lang);
      const queued = await queueDirectMessage(trx, {
        personId: p.person_id,
        purpose: 'boarding_pass',
        ...passMessage(lang, facts, url, smsMaxSegments),
        html: passEmailHtml(lang, facts, url),
        priority: urgent ? 'urgent' : 'normal',
        // Useless once the pass itself has expired (a delayed leg still boards for a day).
        expiresAt: new Date(passExpiresAt(leg)),
      });
      if (!queued.queued) {
        result.skipped.push({ personId: p.person_id, reason: 'unreachable' });
        result.counts.unreachable++;
        continue;
      }
      await insertPassSend(trx, {
        id: newId(ctx.now.getTime()),
        operation_id: operation.id,
        person_id: p.person_id,
        leg_id: legId,
        pass_key: passKey,
        message_id: queued.messageId,
        channel: queued.channel,
        sent_at: ctx.now.toISOString(),
        sent_by: ctx.viewer.userId,
      });
      result.sent.push({ personId: p.person_id, channel: queued.channel, messageId: queued.messageId });
      result.counts.sent++;
    }
    await auditEvacuation(
      trx,
      database.dialect,
      ctx,
      'evacuation.boarding_passes.send',
      result.sent.map((s) => s.personId),
      { operationId: operation.id, legId, ...result.counts },
    );
    return result;
  });
}

/**
 * What the pass page shows for a token: the pass while it is the person's current one, a note once
 * they are aboard, or why it no longer serves (forged or malformed, expired, replaced by a re-plan,
 * leg cancelled or closed). Showing a pass is audited (its holder is not signed in).
 */
export async function viewBoardingPass(
  database: Database,
  token: string,
  request: { ip: string | null; now: Date },
): Promise<PassPageState> {
  const operationId = claimedOperationId(token);
  const operation = operationId ? await findOperation(database.db, operationId) : undefined;
  const claims = operation ? verifyBoardingToken(token, operation.boarding_key) : null;
  if (!operation || !claims) return { kind: 'invalid' };
  if (claims.expiresAt < request.now.getTime()) return { kind: 'expired' };
  const leg = await findLeg(database.db, claims.legId);
  if (!leg || leg.operation_id !== operation.id) return { kind: 'invalid' };
  return database.db.transaction().execute(async (trx): Promise<PassPageState> => {
    const boarding = await findBoarding(trx, operation.id, claims.personId);
    const placement = await findPlacement(trx, operation.id, claims.personId);
    let kind: PassPageState['kind'];
    if (boarding) kind = boarding.leg_id === leg.id ? 'boarded' : 'replaced';
    else if (leg.status === 'cancelled') kind = 'cancelled';
    else if (leg.status !== 'scheduled' || operation.status === 'closed') kind = 'closed';
    else if (placement?.leg_id !== leg.id) kind = 'replaced';
    else kind = 'valid';
    if (kind !== 'valid' && kind !== 'boarded') return { kind };
    const pointId = boarding?.assembly_point_id ?? placement?.assembly_point_id ?? '';
    const point = (await listAssemblyPoints(trx, operation.id)).find((p) => p.id === pointId);
    const facts = await passFacts(operation, leg, await listHubs(trx, operation.id), point, claims.personId);
    await appendAudit(
      trx,
      database.dialect,
      {
        actorUserId: null,
        actorRole: null,
        action: 'evacuation.boarding_pass.view',
        outcome: 'allowed',
        personIds: [claims.personId],
        ip: request.ip,
        details: { operationId: operation.id, legId: leg.id, shown: kind },
      },
      request.now,
    );
    return { kind, facts };
  });
}
