import type { Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings (they compare as text).

/** One answer from one person. Append-only: the latest per (person, alert) counts. */
export type ResponseTable = {
  id: string;
  person_id: string;
  /** The alert answered; null for a check-in that answers no alert. */
  alert_id: string | null;
  /** safe | need_help */
  answer: string;
  /** link | sms | web | officer */
  channel: string;
  /** The language the reply was written in, when a keyword told it. */
  language: string | null;
  /** The officer who recorded an answer taken by phone. */
  recorded_by: string | null;
  received_at: string;
  created_at: string;
};

export type ResponseRow = Selectable<ResponseTable>;
