import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { chooseInfoBlock } from '../../domain/messaging/language-fallback.ts';
import type { HelpRequestType } from '../../domain/triage/triage-rules.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { createHelpRequest, listHelpRequestsOfPerson } from '../cases/help-requests.service.ts';
import { removePushSubscription, savePushSubscription } from '../delivery/push-subscriptions.ts';
import { listPosts } from '../registry/directory.service.ts';
import { type Answer, latestAlertSentTo, recordAnswer } from '../responses/responses.service.ts';
import {
  findMyAlertInfos,
  findMyAlerts,
  findMyLatestAnswers,
  findMyProfile,
  isRecipientOf,
  latestAlertTargeting,
} from './me.repository.ts';
import { MIGRANT_ROLE } from './migrant-auth.ts';

/** Who acts (a signed-in person, on their own record) and from where. */
export type SelfContext = { personId: string; ip: string | null };

/**
 * Runs a use case of the migrant app in one transaction with its audit entry: the person is the actor and
 * the subject, so every read and change of their own data is on the record like an officer's.
 */
function asPerson<T>(
  database: Database,
  ctx: SelfContext,
  action: string,
  details: Record<string, string | number | boolean | null>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return database.db.transaction().execute(async (trx) => {
    const result = await work(trx);
    await appendAudit(trx, database.dialect, {
      actorUserId: null,
      actorRole: MIGRANT_ROLE,
      action,
      outcome: 'allowed',
      personIds: [ctx.personId],
      ip: ctx.ip,
      details,
    });
    return result;
  });
}

const notSignedIn = () => new AppError('me.session_invalid', 'The session is not valid; sign in again', 401);

/** The person's own summary: name, languages and the country they are in. */
export async function readMyProfile(database: Database, ctx: SelfContext) {
  return asPerson(database, ctx, 'self.read', { view: 'profile' }, async (trx) => {
    const profile = await findMyProfile(trx, ctx.personId);
    if (!profile) throw notSignedIn();
    return profile;
  });
}

/** One alert as the person reads it: in their language, with their own latest answer. */
export type MyAlert = {
  id: string;
  drill: boolean;
  msgType: string;
  level: number | null;
  event: string;
  severity: string;
  urgency: string;
  issuedAt: string;
  expiresAt: string | null;
  closed: boolean;
  askResponse: boolean;
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  myAnswer: Answer | null;
  answeredAt: string | null;
};

/**
 * The alerts sent to the person, newest first, each in the first of these that it has: the language the
 * app is shown in, the person's registered languages, the one they were sent, the deployment's fallback.
 */
export async function listMyAlerts(
  database: Database,
  ctx: SelfContext,
  options: { language?: string | null; fallbackLanguages: readonly string[] },
): Promise<MyAlert[]> {
  return asPerson(database, ctx, 'self.read', { view: 'alerts' }, async (trx) => {
    const profile = await findMyProfile(trx, ctx.personId);
    if (!profile) throw notSignedIn();
    const alerts = await findMyAlerts(trx, ctx.personId, 50);
    const ids = alerts.map((a) => a.id);
    const [infos, answers] = await Promise.all([
      findMyAlertInfos(trx, ids),
      findMyLatestAnswers(trx, ctx.personId, ids),
    ]);
    return alerts.flatMap((a) => {
      const wanted = [options.language, ...profile.languages, a.recipient_language].filter(
        (tag): tag is string => Boolean(tag),
      );
      const choice = chooseInfoBlock(infos.get(a.id) ?? [], wanted, options.fallbackLanguages);
      if (!choice) return [];
      const answer = answers.get(a.id);
      return [
        {
          id: a.id,
          drill: a.status === 'Exercise',
          msgType: a.msg_type,
          level: a.level,
          event: a.event,
          severity: a.severity,
          urgency: a.urgency,
          issuedAt: a.issued_at,
          expiresAt: a.expires_at,
          closed: a.closed_at !== null || a.msg_type === 'Cancel',
          askResponse: a.ask_response === 1,
          language: choice.block.language,
          headline: choice.block.headline,
          description: choice.block.description,
          instruction: choice.block.instruction,
          myAnswer: answer ? (answer.answer as Answer) : null,
          answeredAt: answer?.received_at ?? null,
        },
      ];
    });
  });
}

/** The alert an answer or a help request belongs to: the one named (it must be the person's), or the latest. */
async function alertFor(db: Kysely<DB>, personId: string, alertId: string | null | undefined) {
  if (alertId) {
    if (!(await isRecipientOf(db, personId, alertId)))
      throw new AppError('me.alert_not_found', 'No such alert was sent to you', 404);
    return alertId;
  }
  return (await latestAlertSentTo(db, personId)) ?? (await latestAlertTargeting(db, personId));
}

/** "I am safe" or "I need help", from the app; to the alert named, else the latest one sent to the person. */
export async function respond(
  database: Database,
  ctx: SelfContext,
  input: { alertId?: string | null; answer: Answer; language?: string | null },
  now = new Date(),
) {
  return asPerson(database, ctx, 'self.respond', { answer: input.answer }, async (trx) => {
    const alertId = await alertFor(trx, ctx.personId, input.alertId);
    const recorded = await recordAnswer(trx, {
      personId: ctx.personId,
      alertId,
      answer: input.answer,
      channel: 'web',
      language: input.language ?? null,
      receivedAt: now,
    });
    return {
      id: recorded.id,
      alertId: recorded.alertId,
      answer: input.answer,
      receivedAt: now.toISOString(),
    };
  });
}

/**
 * A help request or SOS from the app, tied to the latest alert sent to the person. The cases module
 * triages it and writes its own audit entry.
 */
export async function askForHelp(
  database: Database,
  ctx: SelfContext,
  input: {
    type: HelpRequestType;
    isSos: boolean;
    location?: { lat: number; lng: number } | null;
    text?: string | null;
  },
) {
  return database.db.transaction().execute(async (trx) => {
    const alertId = await alertFor(trx, ctx.personId, null);
    const created = await createHelpRequest(trx, {
      personId: ctx.personId,
      type: input.type,
      isSos: input.isSos,
      channel: 'web',
      alertId,
      location: input.location ?? null,
      text: input.text ?? null,
      createdBy: null,
    });
    return { id: created.id, priority: created.priority, slaDueAt: created.slaDueAt };
  });
}

/** The person's own help requests, newest first. */
export function listMyHelpRequests(database: Database, ctx: SelfContext) {
  return asPerson(database, ctx, 'self.read', { view: 'help_requests' }, (trx) =>
    listHelpRequestsOfPerson(trx, ctx.personId),
  );
}

/**
 * The embassies and consulates covering the country the person is in; when none does (or the country is
 * not known), every post, so there is always somewhere to turn.
 */
export async function myEmbassyContacts(database: Database, ctx: SelfContext) {
  return asPerson(database, ctx, 'self.read', { view: 'contacts' }, async (trx) => {
    const profile = await findMyProfile(trx, ctx.personId);
    if (!profile) throw notSignedIn();
    const posts = await listPosts(trx);
    const country = profile.country;
    const covering = country ? posts.filter((p) => p.jurisdiction.includes(country)) : [];
    return { country, covering: covering.length > 0, items: covering.length > 0 ? covering : posts };
  });
}

/** Registers the browser's Web Push subscription, so alerts also reach this phone as notifications. */
export function subscribeToPush(
  database: Database,
  ctx: SelfContext,
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
) {
  return asPerson(database, ctx, 'self.manage', { change: 'push_subscribed' }, (trx) =>
    savePushSubscription(trx, ctx.personId, subscription),
  );
}

/** Forgets one of the person's Web Push subscriptions; says whether there was one. */
export function unsubscribeFromPush(database: Database, ctx: SelfContext, endpoint: string) {
  return asPerson(database, ctx, 'self.manage', { change: 'push_unsubscribed' }, (trx) =>
    removePushSubscription(trx, ctx.personId, endpoint),
  );
}
