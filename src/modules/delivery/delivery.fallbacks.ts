// Where a delivery that failed for good goes next: the person's next channel, in the deployment's order
// (for a direct message, the channel it asked for first). Shared by the worker, which learns failures
// from channels and SMPP receipts, and by the receipt webhook of HTTP gateways.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  channelOfContactKind,
  directMessageOrder,
  nextFallbackChannel,
  type PersonChannel,
} from '../../domain/delivery/channel-order.ts';
import {
  type ChangedDelivery,
  findConsentedContactKinds,
  findTriedChannels,
  findTriedMessageChannels,
  insertFallbackDeliveries,
} from './delivery.repository.ts';
import { findPreferredChannels } from './direct-messages.repository.ts';

/**
 * Queues the next channel of each failed person delivery (of an alert or a direct message) that has
 * one left; a person tried on every channel they gave is left alone. Answers the rows queued. Runs in
 * the caller's transaction, the one that recorded the failures.
 */
export async function queueFallbacks(
  trx: Kysely<DB>,
  failing: ChangedDelivery[],
  order: readonly PersonChannel[],
  now: string,
): Promise<number> {
  const personal = failing.filter((f): f is ChangedDelivery & { person_id: string } => f.person_id !== null);
  if (personal.length === 0) return 0;
  const ofAlerts = personal.filter((f): f is typeof f & { alert_id: string } => f.alert_id !== null);
  const messageIds = personal.flatMap((f) => (f.message_id !== null ? [f.message_id] : []));
  const kinds = await findConsentedContactKinds(trx, [...new Set(personal.map((f) => f.person_id))]);
  // Tried channels, keyed by alert and person or by direct message.
  const tried = await findTriedChannels(
    trx,
    ofAlerts.map((f) => ({ alertId: f.alert_id, personId: f.person_id })),
  );
  for (const [id, channels] of await findTriedMessageChannels(trx, messageIds))
    tried.set(`message ${id}`, channels);
  const preferred = await findPreferredChannels(trx, messageIds);
  const rows: Parameters<typeof insertFallbackDeliveries>[1] = [];
  for (const f of personal) {
    const key = f.message_id !== null ? `message ${f.message_id}` : `${f.alert_id} ${f.person_id}`;
    const personOrder =
      f.message_id !== null ? directMessageOrder(order, preferred.get(f.message_id)) : order;
    const available = [...(kinds.get(f.person_id) ?? [])]
      .map(channelOfContactKind)
      .filter((c): c is PersonChannel => c !== undefined);
    const done = tried.get(key) ?? new Set<string>();
    const next = nextFallbackChannel(personOrder, available, done);
    if (!next) continue;
    done.add(next);
    tried.set(key, done);
    rows.push({
      alertId: f.alert_id,
      messageId: f.message_id,
      personId: f.person_id,
      channel: next,
      language: f.language,
      priority: f.priority,
      fallbackFrom: f.channel,
    });
  }
  return insertFallbackDeliveries(trx, rows, now);
}
