// Direct messages: a message to one person that is not an alert (a sign-in code, a boarding pass, a
// follow-up note). It goes through the outbox like an alert's delivery, so it gets the same guarantees:
// claimed under a lease, retried with backoff, dead with a reason, falling back along the person's
// channels, sent once per channel. Its text is encrypted at rest; the outbox row holds none of it.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  channelOfContactKind,
  directMessageOrder,
  initialChannels,
  type PersonChannel,
} from '../../domain/delivery/channel-order.ts';
import { directMessagePriority } from '../../domain/delivery/priority.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { findConsentedContactKinds } from './delivery.repository.ts';
import { currentDeliverySettings, type DeliverySettings } from './delivery.settings.ts';
import { signalOutboxWork } from './delivery.signal.ts';
import { insertDirectMessage, insertMessageDelivery } from './direct-messages.repository.ts';

export const DIRECT_MESSAGE_PURPOSES = ['sign_in_code', 'boarding_pass', 'notice'] as const;
export type DirectMessagePurpose = (typeof DIRECT_MESSAGE_PURPOSES)[number];

/**
 * A message to one person. `channel`: the channel to try first (then the rest of the deployment's order);
 * `priority`: `urgent` goes before every alert (someone is waiting for it); `expiresAt`: after it the
 * message is not sent any more (a late sign-in code is only confusing).
 */
export type DirectMessage = {
  personId: string;
  purpose: DirectMessagePurpose;
  subject: string;
  text: string;
  html?: string;
  channel?: 'sms' | 'email' | 'push';
  priority?: 'urgent' | 'normal';
  expiresAt?: Date;
};

export type QueueDirectMessageResult =
  | { queued: true; messageId: string; channel: string }
  | { queued: false; code: 'direct_message.unreachable' };

/** Longest subject and text: an e-mail's, far beyond an SMS (which the worker refuses as too long). */
const MAX_SUBJECT = 200;
const MAX_TEXT = 10_000;
const MAX_HTML = 100_000;

const invalid = (field: string, message: string) =>
  new AppError('direct_message.invalid', message, 422, { field });

function check(message: DirectMessage): void {
  if (!(DIRECT_MESSAGE_PURPOSES as readonly string[]).includes(message.purpose))
    throw invalid('purpose', `purpose must be one of ${DIRECT_MESSAGE_PURPOSES.join(', ')}`);
  if (message.subject.trim() === '' || message.subject.length > MAX_SUBJECT)
    throw invalid('subject', `subject must be 1 to ${MAX_SUBJECT} characters`);
  if (message.text.trim() === '' || message.text.length > MAX_TEXT)
    throw invalid('text', `text must be 1 to ${MAX_TEXT} characters`);
  if (message.html !== undefined && message.html.length > MAX_HTML)
    throw invalid('html', `html must be at most ${MAX_HTML} characters`);
  if (message.channel !== undefined && !['sms', 'email', 'push'].includes(message.channel))
    throw invalid('channel', 'channel must be sms, email or push');
  if (message.priority !== undefined && message.priority !== 'urgent' && message.priority !== 'normal')
    throw invalid('priority', 'priority must be urgent or normal');
}

/**
 * Queues a direct message on the first channel, in the person's order, they gave a consented contact
 * for: the asked-for channel first when given, then the deployment's order. Answers
 * `direct_message.unreachable` (and queues nothing) when they gave none. Works inside the caller's
 * transaction too (the message then goes out once it commits); otherwise its two rows commit together.
 */
export async function queueDirectMessage(
  db: Kysely<DB>,
  message: DirectMessage,
  options: { settings?: Pick<DeliverySettings, 'channelOrder'>; now?: Date } = {},
): Promise<QueueDirectMessageResult> {
  check(message);
  const settings = options.settings ?? currentDeliverySettings();
  const now = (options.now ?? new Date()).toISOString();
  const write = async (trx: Kysely<DB>): Promise<QueueDirectMessageResult> => {
    const kinds = await findConsentedContactKinds(trx, [message.personId]);
    const available = [...(kinds.get(message.personId) ?? [])]
      .map(channelOfContactKind)
      .filter((c): c is PersonChannel => c !== undefined);
    const order = directMessageOrder(settings.channelOrder, message.channel);
    const [channel] = initialChannels(order, available, false);
    if (!channel) return { queued: false, code: 'direct_message.unreachable' };
    const id = newId();
    const priority = directMessagePriority(message.priority ?? 'normal');
    await insertDirectMessage(trx, {
      id,
      person_id: message.personId,
      purpose: message.purpose,
      subject_enc: message.subject,
      body_enc: message.text,
      html_enc: message.html ?? null,
      channel: message.channel ?? null,
      priority,
      expires_at: message.expiresAt?.toISOString() ?? null,
      created_at: now,
    });
    await insertMessageDelivery(trx, { messageId: id, personId: message.personId, channel, priority, now });
    return { queued: true, messageId: id, channel };
  };
  const result = db.isTransaction ? await write(db) : await db.transaction().execute(write);
  if (result.queued) signalOutboxWork();
  return result;
}
