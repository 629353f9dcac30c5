import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { createHelpRequest } from '../cases/help-requests.service.ts';
import type { ResponseChannel } from './responses.service.ts';

/**
 * Opens the help request a "need help" answer asks for (type `other`, an SOS when a distress word said
 * so), unless the person already has one open for the same alert: answering twice, or by link and then
 * by SMS, is one need, not two cases; a distress call on an open ordinary request opens an SOS.
 * Answers its id (the open one's when there is one).
 */
export async function openHelpRequestFor(
  db: Kysely<DB>,
  input: {
    personId: string;
    alertId: string | null;
    channel: ResponseChannel;
    sos?: boolean;
    createdBy?: string | null;
    now?: Date;
  },
): Promise<string> {
  let open = db
    .selectFrom('help_requests')
    .select(['id', 'is_sos'])
    .where('person_id', '=', input.personId)
    .where('status', '!=', 'closed');
  open =
    input.alertId === null ? open.where('alert_id', 'is', null) : open.where('alert_id', '=', input.alertId);
  const existing = await open
    .orderBy('is_sos', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (existing && (existing.is_sos === 1 || !input.sos)) return existing.id;
  const created = await createHelpRequest(db, {
    personId: input.personId,
    type: 'other',
    isSos: input.sos === true,
    channel: input.channel,
    alertId: input.alertId,
    createdBy: input.createdBy ?? null,
    ...(input.now ? { now: input.now } : {}),
  });
  return created.id;
}
