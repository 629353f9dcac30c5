import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { decideInbound, type InboundOutcome } from '../../domain/keywords/inbound-outcome.ts';
import { parseReply } from '../../domain/keywords/parse-reply.ts';
import { newId } from '../../lib/ids.ts';
import { latestAlertSentTo, recordAnswer } from '../responses/responses.service.ts';
import {
  countFromNumberSince,
  findByProviderId,
  findPersonsWithPhone,
  insertInboundMessage,
  lockNumber,
} from './inbound.repository.ts';

/** How an inbound message reached Haven. */
export type InboundChannel = 'smpp' | 'http';

/** One text message as a channel or gateway hands it over. Any of its fields may be garbage. */
export type InboundSms = {
  channel: InboundChannel;
  from: string;
  to?: string | null;
  text: string;
  /** The gateway's id of the message: a retried webhook with the same id is kept once. */
  providerId?: string | null;
  receivedAt?: Date;
};

/** What reading the message needs besides the database. */
export type InboundContext = {
  /** Key of the number hash (see inboundNumberKey). */
  numberKey: Uint8Array;
  flood: { maxPerWindow: number; windowSeconds: number };
};

export type InboundResult = {
  id: string;
  outcome: InboundOutcome;
  /** The message was received before (same gateway id): this is the first one's result. */
  duplicate: boolean;
  personId: string | null;
  alertId: string | null;
  responseId: string | null;
  helpRequestId: string | null;
};

/** Longest text kept and read, in characters: ten concatenated SMS segments. */
export const MAX_INBOUND_TEXT = 1600;

/** The key of the sender-number hash, derived from the reply-link secret every process already shares. */
export function inboundNumberKey(replySecret: Uint8Array): Buffer {
  return createHmac('sha256', replySecret).update('haven/inbound-number/v1').digest();
}

/** Keyed hash of a number: stable for lookups, useless to whoever does not hold the key. */
export const numberHash = (key: Uint8Array, number: string) =>
  createHmac('sha256', key).update(number).digest('hex');

// Control characters (NUL included, which PostgreSQL text refuses) are dropped from plain fields.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to match them
const CONTROL = /[\u0000-\u001f\u007f]/g;
const plain = (value: string, max: number) => value.replace(CONTROL, '').slice(0, max);

/**
 * A sender address as E.164 when it can be: spaces, dashes, dots and brackets dropped, a leading 00 or a
 * bare international number given its plus. Anything else is kept as sent (it matches no one).
 */
export function normalizeSender(raw: string): string {
  const compact = plain(raw, 64)
    .trim()
    .replace(/[\s\-.()]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  if (/^00[1-9]\d{6,14}$/.test(compact)) return `+${compact.slice(2)}`;
  if (/^[1-9]\d{7,14}$/.test(compact)) return `+${compact}`;
  return compact.slice(0, 32);
}

function textOf(raw: string): string {
  const chars = [...raw.replaceAll('\0', '')];
  return chars.length > MAX_INBOUND_TEXT ? chars.slice(0, MAX_INBOUND_TEXT).join('') : chars.join('');
}

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: unknown; message?: unknown };
  return (
    e?.code === '23505' || (typeof e?.message === 'string' && e.message.includes('UNIQUE constraint failed'))
  );
};

const resultOf = (
  row: {
    id: string;
    outcome: string;
    person_id: string | null;
    alert_id: string | null;
    response_id: string | null;
    help_request_id: string | null;
  },
  duplicate: boolean,
): InboundResult => ({
  id: row.id,
  outcome: row.outcome as InboundOutcome,
  duplicate,
  personId: row.person_id,
  alertId: row.alert_id,
  responseId: row.response_id,
  helpRequestId: row.help_request_id,
});

/**
 * Takes in one text message: keeps it (number and text encrypted) with its outcome, and when it is a
 * readable answer from a registered number, records the answer against the latest alert sent to that
 * person, opening a help request for "help" or "SOS", all in one transaction. Never refuses a message
 * for its content; only a database failure throws (and then nothing of it was stored).
 */
export async function receiveInboundSms(
  db: Kysely<DB>,
  context: InboundContext,
  input: InboundSms,
): Promise<InboundResult> {
  const receivedAt = input.receivedAt ?? new Date();
  const sender = normalizeSender(input.from);
  const text = textOf(input.text);
  const hash = numberHash(context.numberKey, sender);
  const providerId = input.providerId ? plain(input.providerId, 128) || null : null;
  try {
    return await db.transaction().execute(async (trx) => {
      if (providerId) {
        const seen = await findByProviderId(trx, input.channel, providerId);
        if (seen) return resultOf(seen, true);
      }
      await lockNumber(trx, hash);
      const since = new Date(receivedAt.getTime() - context.flood.windowSeconds * 1000).toISOString();
      const [recent, persons] = await Promise.all([
        countFromNumberSince(trx, hash, since),
        findPersonsWithPhone(trx, sender, 2),
      ]);
      const personId = persons.length === 1 ? persons[0]! : null;
      const alertId = personId ? await latestAlertSentTo(trx, personId) : null;
      const parsed = parseReply(text);
      const decision = decideInbound(
        { intent: parsed.intent, personsWithNumber: persons.length, alertId, recentFromNumber: recent },
        { maxPerWindow: context.flood.maxPerWindow },
      );
      const recorded =
        decision.answer && personId
          ? await recordAnswer(trx, {
              personId,
              alertId,
              answer: decision.answer,
              channel: 'sms',
              language: parsed.language ?? null,
              receivedAt,
              sos: decision.sos,
            })
          : null;
      const row = {
        id: newId(receivedAt.getTime()),
        channel: input.channel,
        provider_id: providerId,
        number_hash: hash,
        sender_enc: sender,
        recipient: input.to ? plain(input.to, 32) || null : null,
        body_enc: text,
        intent: parsed.intent,
        language: parsed.language ?? null,
        outcome: decision.outcome,
        person_id: personId,
        alert_id: recorded ? recorded.alertId : alertId,
        response_id: recorded?.id ?? null,
        help_request_id: recorded?.helpRequestId ?? null,
        received_at: receivedAt.toISOString(),
        created_at: new Date().toISOString(),
      };
      await insertInboundMessage(trx, row);
      return resultOf(row, false);
    });
  } catch (err) {
    // Two deliveries of one retried webhook raced: the other one stored it.
    if (providerId && isUniqueViolation(err)) {
      const seen = await findByProviderId(db, input.channel, providerId);
      if (seen) return resultOf(seen, true);
    }
    throw err;
  }
}
