import type { Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings (they compare as text).

/** One text message a person (or anyone) sent to Haven, with what became of it. */
export type InboundMessageTable = {
  id: string;
  /** smpp | http */
  channel: string;
  /** The gateway's id of the message, when it gives one (retried webhooks are kept once). */
  provider_id: string | null;
  /** Keyed hash (HMAC-SHA256) of the sender's E.164 number: lookups and flood limits without the number. */
  number_hash: string;
  /** The sender's number, encrypted at rest. */
  sender_enc: string;
  /** Haven's number or short code the message was sent to. */
  recipient: string | null;
  /** The text, encrypted at rest. */
  body_enc: string;
  /** What the keyword parser read: safe | help | sos | stop | unknown. */
  intent: string;
  language: string | null;
  /** recorded | inbound.* (src/domain/keywords/inbound-outcome.ts). */
  outcome: string;
  person_id: string | null;
  alert_id: string | null;
  response_id: string | null;
  help_request_id: string | null;
  received_at: string;
  created_at: string;
};

export type InboundMessageRow = Selectable<InboundMessageTable>;
