export type AuditLogTable = {
  seq: number;
  at: string;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: string;
  /** JSON array of the person ids the action touched. */
  person_ids: string;
  purpose: string | null;
  ip: string | null;
  emergency: number;
  /** JSON object: what else identifies the action (never personal data). */
  details: string;
  prev_hash: string;
  hash: string;
};
