import type { Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings (they compare as text); booleans are 0/1 integers.

/** A help request or SOS, triaged into a post's queue. */
export type HelpRequestTable = {
  id: string;
  person_id: string;
  /** The post whose queue holds the request. */
  post_id: string | null;
  /** The alert the request answers, if any. */
  alert_id: string | null;
  /** One of HELP_REQUEST_TYPES (src/domain/triage/triage-rules.ts). */
  type: string;
  is_sos: number;
  /** web | sms | link | officer */
  channel: string;
  lat: number | null;
  lng: number | null;
  h3_cell: string | null;
  /** Encrypted at rest. */
  free_text_enc: string | null;
  /** critical | high | medium | low */
  priority: string;
  score: number;
  /** JSON array of TriageReason. */
  reasons: string;
  sla_due_at: string;
  /** new | acknowledged | in_progress | referred | closed */
  status: string;
  /** User id of the officer working it. */
  assigned_to: string | null;
  /** Organisation id of the partner it was referred to. */
  referred_to: string | null;
  outcome: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
};

export type HelpRequestRow = Selectable<HelpRequestTable>;
