import type { Kysely } from 'kysely';
import type { Channel, InboundSms as ChannelInboundSms, SmsChannel } from '../../channels/channel.ts';
import type { DB } from '../../db/schema.ts';
import type { WorkerLog } from '../delivery/delivery.channels.ts';
import { type InboundContext, receiveInboundSms } from './inbound.service.ts';

/** A running listener; close() stops listening and waits for messages being stored. */
export type InboundListener = { close: () => Promise<void>; pending: () => number };

export type InboundListenerOptions = {
  db: Kysely<DB>;
  context: InboundContext;
  log: WorkerLog;
  /** Attempts to store one message while the database is unreachable (default 6, about 8 s in all). */
  attempts?: number;
  retryBaseMs?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the replies an SMS channel receives (an SMPP bind's deliver_sm that are not receipts) and stores
 * each through receiveInboundSms. The SMS centre has been answered by then, so a message is retried with
 * backoff while the database is unreachable rather than dropped; log lines carry outcomes, never numbers
 * or text. A channel that receives nothing gives a listener that does nothing.
 */
export function listenForInboundSms(
  channel: Channel | undefined,
  options: InboundListenerOptions,
): InboundListener {
  const sms = channel as SmsChannel | undefined;
  if (!sms || typeof sms.onInbound !== 'function') return { close: async () => {}, pending: () => 0 };
  const attempts = options.attempts ?? 6;
  const baseMs = options.retryBaseMs ?? 250;
  const inFlight = new Set<Promise<void>>();

  const store = async (message: ChannelInboundSms, receivedAt: Date) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await receiveInboundSms(options.db, options.context, {
          channel: 'smpp',
          from: message.from,
          to: message.to,
          text: message.text,
          receivedAt,
        });
        options.log('info', 'inbound.received', { outcome: result.outcome });
        return;
      } catch (err) {
        const error = err instanceof Error ? err.name : 'unknown';
        if (attempt >= attempts) {
          options.log('error', 'inbound.lost', { error, attempts: attempt });
          return;
        }
        options.log('warn', 'inbound.retry', { error, attempt });
        await sleep(baseMs * 2 ** (attempt - 1));
      }
    }
  };

  const unsubscribe = sms.onInbound((message) => {
    const task = store(message, new Date()).finally(() => inFlight.delete(task));
    inFlight.add(task);
  });
  return {
    pending: () => inFlight.size,
    async close() {
      unsubscribe();
      await Promise.allSettled([...inFlight]);
    },
  };
}
