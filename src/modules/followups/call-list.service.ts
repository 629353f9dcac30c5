import type { Database } from '../../db/database.ts';
import { authorizePerson, personScope, type Viewer } from '../../domain/access/policy.ts';
import { applyCallOutcome, type CallOutcome } from '../../domain/followups/follow-up-rules.ts';
import { AppError } from '../../errors.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import { recordAnswer } from '../responses/responses.service.ts';
import { findCallListEntry, findCallListPage, findPhones, writeCallOutcome } from './call-list.repository.ts';
import type { CallListPage, CallListQuery, CallOutcomeView } from './call-list.schema.ts';

/** Who asks, and from where. */
export type CallContext = { viewer: Viewer; ip: string | null };

const entryNotFound = () => new AppError('call_list.not_found', 'Call-list entry not found', 404);

/**
 * A page of the call list within the viewer's scope (a consular officer: the post's jurisdiction),
 * optionally of one alert or one post's jurisdiction, oldest first. Names and phones are personal data:
 * the read is written to the audit log, with the people it showed, in the same transaction.
 */
export async function listCallList(
  database: Database,
  ctx: CallContext,
  query: CallListQuery,
): Promise<CallListPage> {
  const limit = query.limit ?? 50;
  if (query.post) {
    const post = await database.db
      .selectFrom('posts')
      .select('id')
      .where('id', '=', query.post)
      .executeTakeFirst();
    if (!post) throw new AppError('call_list.post_not_found', 'No such post', 404);
  }
  return database.db.transaction().execute(async (trx) => {
    const rows = await findCallListPage(trx, {
      scope: personScope(ctx.viewer),
      status: query.status ?? 'open',
      ...(query.alert ? { alertId: query.alert } : {}),
      ...(query.post ? { postId: query.post } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit).filter((r) => {
      const decision = authorizePerson(ctx.viewer, 'calls.work', {
        country: r.location_country,
        nationality: r.nationality,
        employerId: r.employer_id,
        consentedTo: [],
        emergencyOverride: false,
      });
      return decision.allow;
    });
    const phones = await findPhones(
      trx,
      page.map((r) => r.person_id),
    );
    if (page.length > 0) {
      await appendAudit(trx, database.dialect, {
        actorUserId: ctx.viewer.userId,
        actorRole: ctx.viewer.role,
        action: 'calls.list',
        outcome: 'allowed',
        personIds: page.map((r) => r.person_id),
        ip: ctx.ip,
        details: { count: page.length, alertId: query.alert ?? null, postId: query.post ?? null },
      });
    }
    return {
      items: page.map((r) => ({
        id: r.id,
        alertId: r.alert_id,
        alertEvent: r.event,
        drill: r.alert_status !== 'Actual',
        personId: r.person_id,
        name: [r.given_names, r.family_name].filter(Boolean).join(' '),
        phones: phones.get(r.person_id) ?? [],
        country: r.location_country,
        status: r.status === 'closed' ? ('closed' as const) : ('open' as const),
        outcome: r.outcome,
        attempts: r.attempts,
        lastAttemptAt: r.last_attempt_at,
        createdAt: r.created_at,
        closedAt: r.closed_at,
      })),
      nextCursor: rows.length > limit ? (rows[limit - 1]?.id ?? null) : null,
    };
  });
}

/**
 * Records what an officer's call came to. A reached person's answer is recorded as a response on the
 * officer channel, by this officer, and the entry closes; a wrong number closes it; no answer counts
 * the attempt and keeps it open. The entry must be open and the person within the viewer's scope; the
 * change and its audit entry commit together.
 */
export async function recordCallOutcome(
  database: Database,
  ctx: CallContext,
  id: string,
  outcome: CallOutcome,
): Promise<CallOutcomeView> {
  const effect = applyCallOutcome(outcome);
  const now = new Date();
  const result = await database.db.transaction().execute(async (trx) => {
    const entry = await findCallListEntry(trx, id);
    if (!entry) return { kind: 'missing' as const };
    const decision = authorizePerson(ctx.viewer, 'calls.work', {
      country: entry.location_country,
      nationality: entry.nationality,
      employerId: entry.employer_id,
      consentedTo: [],
      emergencyOverride: false,
    });
    if (!decision.allow) {
      return { kind: 'denied' as const, reason: decision.reason ?? decision.code, personId: entry.person_id };
    }
    const written = await writeCallOutcome(trx, {
      id,
      outcome,
      closes: effect.closes,
      userId: ctx.viewer.userId,
      now: now.toISOString(),
    });
    if (!written) return { kind: 'closed' as const };
    const response = effect.answer
      ? await recordAnswer(trx, {
          personId: entry.person_id,
          alertId: entry.alert_id,
          answer: effect.answer,
          channel: 'officer',
          recordedBy: ctx.viewer.userId,
          receivedAt: now,
        })
      : null;
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'calls.outcome',
      outcome: 'done',
      personIds: [entry.person_id],
      ip: ctx.ip,
      details: { alertId: entry.alert_id, outcome },
    });
    return {
      kind: 'done' as const,
      view: {
        id,
        status: effect.closes ? ('closed' as const) : ('open' as const),
        outcome,
        attempts: entry.attempts + 1,
        lastAttemptAt: now.toISOString(),
        responseId: response?.id ?? null,
      },
    };
  });
  if (result.kind === 'missing') throw entryNotFound();
  if (result.kind === 'denied') {
    await recordAudit(database.db, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'calls.outcome',
      outcome: 'denied',
      personIds: [result.personId],
      ip: ctx.ip,
      details: { reason: result.reason },
    });
    throw entryNotFound();
  }
  if (result.kind === 'closed') {
    throw new AppError('call_list.closed', 'This call-list entry is closed already', 409);
  }
  return result.view;
}
