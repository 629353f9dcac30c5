import type { Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings; CAP dateTimes (sent, effective, expires) keep their CAP form;
// booleans are 0/1 integers; JSON is stored as text.

export type AlertTable = {
  id: string;
  /** CAP identifier: urn:haven:<deployment>:alert:<id>. */
  identifier: string;
  sender: string;
  /** CAP status: 'Actual' or 'Exercise' (a drill). */
  status: string;
  /** 'Alert', 'Update' or 'Cancel'. */
  msg_type: string;
  /** 'Public' or 'Restricted'. */
  scope: string;
  restriction: string | null;
  /** Lifecycle state (src/domain/alerts/lifecycle.ts). */
  state: string;
  /** JSON array of CAP references {sender, identifier, sent}, oldest first. */
  cap_references: string;
  /** The alert this Update or Cancel follows. */
  follows_alert_id: string | null;
  /** JSON arrays. */
  categories: string;
  event: string;
  urgency: string;
  severity: string;
  certainty: string;
  response_types: string;
  effective: string | null;
  expires: string | null;
  /** `expires` in UTC, for comparisons. */
  expires_at: string | null;
  /** JSON AlertTarget. */
  target: string;
  ask_response: number;
  /** The drafting post; null for headquarters. */
  post_id: string | null;
  level: number | null;
  incident_id: string | null;
  /** CAP sent, set at issue. */
  sent: string | null;
  drafted_by: string;
  created_at: string;
  updated_at: string;
  submitted_by: string | null;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  rejection_reason: string | null;
  issued_by: string | null;
  issued_at: string | null;
  /** When an issued Update or Cancel superseded or cancelled this alert, and which one. */
  closed_at: string | null;
  closed_by_alert_id: string | null;
  recipient_count: number | null;
  /** JSON IssueReport. */
  issue_report: string | null;
};

export type AlertInfoTable = {
  alert_id: string;
  position: number;
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  sms_text: string;
};

export type AlertCountryTable = { alert_id: string; country: string };

export type AlertRecipientTable = {
  alert_id: string;
  person_id: string;
  /** The language of the info block this person reads. */
  language: string;
  /** How that block was chosen: preferred, base-language, fallback or first. */
  matched_by: string;
  country: string | null;
};

export type AlertRow = Selectable<AlertTable>;
export type AlertInfoRow = Selectable<AlertInfoTable>;
export type AlertRecipientRow = Selectable<AlertRecipientTable>;
