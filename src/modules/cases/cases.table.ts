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

/**
 * One thing that happened to a help request, in order: its history. `details` holds ids and codes only
 * (never personal data); a note's text is in `notes_enc`, encrypted at rest.
 */
export type HelpRequestEventTable = {
  id: string;
  help_request_id: string;
  /** created | status | assigned | referred | note | closed */
  kind: string;
  /** The user who acted; null when the person asked themselves. */
  actor_user_id: string | null;
  from_status: string | null;
  to_status: string | null;
  /** JSON object of ids and codes: assignee, partner organisation, outcome. */
  details: string;
  /** A note's text. Encrypted at rest. */
  notes_enc: string | null;
  created_at: string;
};

/** A photo sent with a help request: the bytes, base64 under the field cipher. */
export type HelpRequestPhotoTable = {
  id: string;
  help_request_id: string;
  /** image/jpeg | image/png | image/webp, checked against the bytes. */
  content_type: string;
  size_bytes: number;
  /** Base64 of the image. Encrypted at rest. */
  photo_enc: string;
  created_at: string;
};

export type HelpRequestEventRow = Selectable<HelpRequestEventTable>;
export type HelpRequestPhotoRow = Selectable<HelpRequestPhotoTable>;
