import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { openHelpRequestFor } from './help.ts';
import { findLatestAlertSentTo, insertResponses } from './responses.repository.ts';

/** A person's answer. */
export type Answer = 'safe' | 'need_help';
export const ANSWERS = ['safe', 'need_help'] as const satisfies readonly Answer[];
/** How the answer reached Haven. */
export type ResponseChannel = 'link' | 'sms' | 'web' | 'officer';

/**
 * Records one answer (append-only: the latest per person and alert counts). Works inside a transaction
 * too: pass a Transaction<DB>. It does not open a help request; `recordAnswer` does both.
 */
export async function recordResponse(
  db: Kysely<DB>,
  input: {
    personId: string;
    alertId: string | null;
    answer: Answer;
    channel: ResponseChannel;
    language?: string | null;
    recordedBy?: string | null;
    receivedAt?: Date;
  },
): Promise<{ id: string; alertId: string | null }> {
  const now = new Date();
  const id = newId(now.getTime());
  await insertResponses(db, [
    {
      id,
      person_id: input.personId,
      alert_id: input.alertId,
      answer: input.answer,
      channel: input.channel,
      language: input.language ?? null,
      recorded_by: input.recordedBy ?? null,
      received_at: (input.receivedAt ?? now).toISOString(),
      created_at: now.toISOString(),
    },
  ]);
  return { id, alertId: input.alertId };
}

/**
 * The latest issued alert this person was sent (used to match a reply or a web check-in), or null.
 * A cancellation is not one: it asks nothing, so a reply after it answers the alert it cancelled.
 */
export function latestAlertSentTo(db: Kysely<DB>, personId: string): Promise<string | null> {
  return findLatestAlertSentTo(db, personId);
}

/**
 * Records an answer and, for "need help", opens (or finds the open) help request for it, in one
 * transaction (the caller's, when given one).
 */
export async function recordAnswer(
  db: Kysely<DB>,
  input: Parameters<typeof recordResponse>[1] & { sos?: boolean },
): Promise<{ id: string; alertId: string | null; helpRequestId: string | null }> {
  const work = async (trx: Kysely<DB>) => {
    const recorded = await recordResponse(trx, input);
    const helpRequestId =
      input.answer === 'need_help'
        ? await openHelpRequestFor(trx, {
            personId: input.personId,
            alertId: input.alertId,
            channel: input.channel,
            sos: input.sos === true,
            createdBy: input.recordedBy ?? null,
            ...(input.receivedAt ? { now: input.receivedAt } : {}),
          })
        : null;
    return { ...recorded, helpRequestId };
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
