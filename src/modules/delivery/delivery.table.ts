import type { Generated, Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings (they compare as text); booleans are 0/1 integers.

/**
 * The outbox: one row per alert, recipient and channel, per alert and partner webhook, or per direct
 * message and channel. A row carries an alert or a direct message, never both.
 */
export type DeliveryTable = {
  id: Generated<number>;
  /** The alert sent; null for a direct message. */
  alert_id: string | null;
  /** The direct message sent (direct_messages.id); null for an alert. */
  message_id: string | null;
  /** The recipient; null for a partner's webhook. */
  person_id: string | null;
  /** The partner webhook target's name; null for a person. */
  partner: string | null;
  /** push | sms | email | webhook */
  channel: string;
  /** The info block the recipient reads (frozen at issue); null for a partner, who has its own. */
  language: string | null;
  /** queued | sending | sent | delivered | failed | dead (src/domain/delivery/outcome.ts). */
  state: string;
  /** Claim order, higher first (src/domain/delivery/priority.ts). */
  priority: number;
  /** Attempts claimed so far. */
  attempts: Generated<number>;
  /** Times a crashed worker's lease expired on this row while a send may have been in flight. */
  reclaims: Generated<number>;
  /** When the row may be claimed: its creation, or the end of a retry's backoff. */
  next_attempt_at: string;
  claimed_by: string | null;
  /** Names one claim, so a late result from a lost lease cannot overwrite a later claim's. */
  claim_token: string | null;
  lease_until: string | null;
  provider_id: string | null;
  /** The last outcome's stable code (a retry's reason, or why it is dead or failed). */
  code: string | null;
  /** Technical detail of that outcome; never personal data. */
  detail: string | null;
  segments: number | null;
  /** The channel whose failure this delivery falls back from. */
  fallback_from: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  done_at: string | null;
};

/** One slice of an alert's fan-out, written batch by batch and resumable after a crash. */
export type DeliveryFanoutTable = {
  alert_id: string;
  slice: number;
  /** The slice's last recipient (inclusive); null: up to the last one. */
  upto_person_id: string | null;
  /** pending | running | done */
  state: string;
  priority: number;
  all_channels: number;
  /** Keyset cursor: every recipient up to this person id has its deliveries written. */
  after_person_id: string | null;
  recipients: Generated<number>;
  written: Generated<number>;
  unreachable: Generated<number>;
  batches: Generated<number>;
  claimed_by: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
};

/** A message to one person that is not an alert; its subject and bodies are encrypted at rest. */
export type DirectMessageTable = {
  id: string;
  person_id: string;
  /** sign_in_code | boarding_pass | notice */
  purpose: string;
  subject_enc: string;
  body_enc: string;
  html_enc: string | null;
  /** The channel asked for first; null: the deployment's order. */
  channel: string | null;
  priority: number;
  /** After this the message is not sent any more (dead with message.expired). */
  expires_at: string | null;
  created_at: string;
};

/** A gateway's receipt held until its message's `sent` is recorded (migration 0073). */
export type DeliveryReceiptTable = {
  channel: string;
  provider_id: string;
  /** delivered | failed */
  state: string;
  code: string | null;
  received_at: string;
};

export type DeliveryRow = Selectable<DeliveryTable>;
export type DeliveryFanoutRow = Selectable<DeliveryFanoutTable>;
