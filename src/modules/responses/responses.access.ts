import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { type Action, authorizePerson, type Decision, type PersonFacts } from '../../domain/access/policy.ts';
import { AppError } from '../../errors.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import type { RequestContext } from '../registry/persons.access.ts';
import { findAccessFacts } from '../registry/persons.repository.ts';
import { findResponsesOfPerson } from './responses.repository.ts';
import type { OfficerAnswerBody, ResponseView } from './responses.schema.ts';
import { type Answer, latestAlertSentTo, type ResponseChannel, recordAnswer } from './responses.service.ts';
import type { ResponseRow } from './responses.table.ts';

// "Not yours" and "does not exist" get the same answer, so nobody can probe for records.
const notFound = () => new AppError('person.not_found', 'Person not found', 404);

/** The history a person's record shows: at most this many answers, newest first. */
export const HISTORY_LIMIT = 200;

export const toResponseView = (row: ResponseRow): ResponseView => ({
  id: row.id,
  personId: row.person_id,
  alertId: row.alert_id,
  answer: row.answer as Answer,
  channel: row.channel as ResponseChannel,
  language: row.language,
  recordedBy: row.recorded_by,
  receivedAt: row.received_at,
});

async function factsOf(
  trx: Transaction<DB>,
  personId: string,
  ctx: RequestContext,
): Promise<PersonFacts | null> {
  const person = await trx
    .selectFrom('persons')
    .select(['location_country', 'nationality', 'employer_id'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) return null;
  const { consents, overrides } = await findAccessFacts(
    trx,
    [personId],
    ctx.viewer,
    new Date().toISOString(),
  );
  const latest = consents.at(-1);
  return {
    country: person.location_country,
    nationality: person.nationality,
    employerId: person.employer_id,
    consentedTo: latest && latest.status === 'granted' ? [latest.organization_id] : [],
    emergencyOverride: overrides.length > 0,
  };
}

type Denied = { denied: Decision & { reason?: string } };

async function auditDenial(
  database: Database,
  ctx: RequestContext,
  action: Action,
  personId: string,
  decision: Denied['denied'],
) {
  await recordAudit(database.db, database.dialect, {
    actorUserId: ctx.viewer.userId,
    actorRole: ctx.viewer.role,
    action,
    outcome: 'denied',
    personIds: [personId],
    purpose: ctx.purpose ?? null,
    ip: ctx.ip,
    details: { reason: decision.allow ? 'none' : (decision.reason ?? decision.code) },
  });
}

/**
 * Records an answer an officer took by phone, for a person within the officer's scope: against the given
 * alert, the latest alert sent to the person when none is given, or no alert when null. "Need help"
 * opens a help request. Answer, help request and audit entry are one transaction.
 */
export async function recordOfficerAnswer(
  database: Database,
  ctx: RequestContext,
  personId: string,
  input: OfficerAnswerBody,
): Promise<{ response: ResponseView; helpRequestId: string | null }> {
  const outcome = await database.db.transaction().execute(async (trx) => {
    const facts = await factsOf(trx, personId, ctx);
    if (!facts) return { missing: true as const };
    const decision = authorizePerson(ctx.viewer, 'responses.record', facts);
    // An emergency override opens a record for reading, not for writing into it.
    if (!decision.allow || decision.emergency) return { denied: decision } satisfies Denied;
    const alertId = input.alertId === undefined ? await latestAlertSentTo(trx, personId) : input.alertId;
    if (alertId !== null) {
      const alert = await trx
        .selectFrom('alerts')
        .select('issued_at')
        .where('id', '=', alertId)
        .executeTakeFirst();
      if (!alert) throw new AppError('response.alert_not_found', 'No such alert', 422);
      if (alert.issued_at === null)
        throw new AppError('response.alert_not_issued', 'The alert was never issued', 422);
    }
    const receivedAt = new Date();
    const recorded = await recordAnswer(trx, {
      personId,
      alertId,
      answer: input.answer,
      channel: 'officer',
      recordedBy: ctx.viewer.userId,
      receivedAt,
    });
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'responses.record',
      outcome: 'done',
      personIds: [personId],
      purpose: ctx.purpose ?? null,
      ip: ctx.ip,
      details: { answer: input.answer, alertId, responseId: recorded.id },
    });
    return {
      recorded: {
        response: {
          id: recorded.id,
          personId,
          alertId,
          answer: input.answer,
          channel: 'officer' as const,
          language: null,
          recordedBy: ctx.viewer.userId,
          receivedAt: receivedAt.toISOString(),
        },
        helpRequestId: recorded.helpRequestId,
      },
    };
  });
  if ('missing' in outcome) throw notFound();
  if (outcome.denied) {
    await auditDenial(database, ctx, 'responses.record', personId, outcome.denied);
    throw notFound();
  }
  if (!outcome.recorded) throw notFound();
  return outcome.recorded;
}

/**
 * A person's answers, newest first, for a viewer who may see the person's safety; the read is audited in
 * the same transaction.
 */
export async function readResponsesOf(
  database: Database,
  ctx: RequestContext,
  personId: string,
): Promise<ResponseView[]> {
  const outcome = await database.db.transaction().execute(async (trx) => {
    const facts = await factsOf(trx, personId, ctx);
    if (!facts) return { missing: true as const };
    const decision = authorizePerson(ctx.viewer, 'persons.read', facts);
    if (!decision.allow || !decision.fields.has('safety')) return { denied: decision } satisfies Denied;
    const rows = await findResponsesOfPerson(trx, personId, HISTORY_LIMIT);
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'responses.read',
      outcome: 'allowed',
      personIds: [personId],
      purpose: ctx.purpose ?? decision.purpose ?? null,
      ip: ctx.ip,
      emergency: decision.emergency === true,
      details: { count: rows.length },
    });
    return { items: rows.map(toResponseView) };
  });
  if ('missing' in outcome) throw notFound();
  if (outcome.denied) {
    await auditDenial(database, ctx, 'persons.read', personId, outcome.denied);
    throw notFound();
  }
  return outcome.items ?? [];
}
