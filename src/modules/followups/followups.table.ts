import type { Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings (they compare as text).

/** One follow-up step of one alert, walked over its recipients under a lease. */
export type FollowUpPassTable = {
  alert_id: string;
  /** follow_up | call_list (src/domain/followups/follow-up-rules.ts). */
  stage: string;
  /** pending | running | done */
  state: string;
  /** Keyset cursor of the current round: every recipient up to this person id was looked at. */
  after_person_id: string | null;
  next_run_at: string;
  rounds: number;
  examined: number;
  /** Follow-ups queued, or call-list entries added. */
  acted: number;
  /** Recipients of the last round whose deliveries were still on their way. */
  waiting: number;
  claimed_by: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
};

/** A decided follow-up: once per alert and person. */
export type FollowUpTable = {
  alert_id: string;
  person_id: string;
  /** queued | no_other_channel | unreachable */
  outcome: string;
  channel: string | null;
  created_at: string;
};

/** An entry of the officers' call list. */
export type CallListTable = {
  id: string;
  alert_id: string;
  person_id: string;
  /** open | closed */
  status: string;
  /** The last call's outcome (CALL_OUTCOMES), or answered / help_requested when the person got in touch. */
  outcome: string | null;
  attempts: number;
  last_attempt_at: string | null;
  /** User id of the officer who made the last call. */
  last_attempt_by: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
};

export type FollowUpPassRow = Selectable<FollowUpPassTable>;
export type CallListRow = Selectable<CallListTable>;
