import type { Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings; CAP dateTimes keep their CAP form; JSON is stored as text.

export type IncidentTable = {
  id: string;
  source_sender: string;
  source_identifier: string;
  /** CAP sent as the agency wrote it (normalised to CAP 1.2 form). */
  source_sent: string;
  /** `source_sent` in UTC: with sender and identifier, the key that refuses a second import. */
  sent_at: string;
  /** '1.1' or '1.2'. */
  cap_version: string;
  status: string;
  msg_type: string;
  scope: string;
  /** Of the first info block. */
  event: string;
  urgency: string;
  severity: string;
  certainty: string;
  /** JSON array of IncidentInfo: the texts of each info block, in the message's languages. */
  infos: string;
  /** JSON array of CAP references. */
  cap_references: string;
  /** The document as received. */
  original_xml: string;
  /** 'api' or 'cli'. */
  source: string;
  imported_at: string;
  imported_by: string | null;
  /** The alert an officer drafted from this incident. */
  draft_alert_id: string | null;
};

export type IncidentAreaTable = {
  incident_id: string;
  position: number;
  info_index: number;
  area_desc: string;
  /** JSON array of validated targeting shapes; null when the area was rejected or had none. */
  shapes: string | null;
  /** JSON array of CAP geocodes {valueName, value}. */
  geocodes: string;
  error_code: string | null;
  error_message: string | null;
};

export type IncidentRow = Selectable<IncidentTable>;
export type IncidentAreaRow = Selectable<IncidentAreaTable>;
