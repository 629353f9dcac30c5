import type { Insertable, Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings; booleans are 0/1 integers; JSON is stored as text.

export type EvacuationOperationTable = {
  id: string;
  crisis: string;
  country: string;
  area_id: string | null;
  alert_level: number;
  /** 'planning', 'active' or 'closed'. */
  status: string;
  /** JSON: the operation's PlanningOptions (maximum distance, tiers...). */
  planning_options: string;
  /** Base64 secret that signs the operation's boarding passes; never leaves the server. */
  boarding_key: string;
  current_plan_id: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
};

export type EvacuationAssemblyPointTable = {
  id: string;
  operation_id: string;
  name: string;
  lat: number;
  lon: number;
  capacity: number;
  opens_at: string;
  closes_at: string;
  accessible: number;
  created_at: string;
};

export type EvacuationHubTable = {
  id: string;
  operation_id: string;
  name: string;
  transfer_minutes: number;
  /** JSON array of assembly point ids the hub serves. */
  assembly_point_ids: string;
  created_at: string;
};

export type EvacuationLegTable = {
  id: string;
  operation_id: string;
  /** 'bus', 'flight', 'ship' or 'train'. */
  mode: string;
  origin_assembly_point_id: string | null;
  origin_hub_id: string | null;
  destination: string;
  departs_at: string;
  seats: number;
  medical_seats: number;
  /** 'scheduled', 'cancelled', 'boarding_closed' or 'arrived'. */
  status: string;
  cancelled_at: string | null;
  boarding_closed_at: string | null;
  arrived_at: string | null;
  created_at: string;
  updated_at: string;
};

export type EvacuationEvacueeTable = {
  operation_id: string;
  person_id: string;
  /** The household id, or the person's own id for someone travelling alone. */
  group_id: string;
  /** 'household', 'group' or 'single'. */
  group_kind: string;
  /**
   * 'selection', 'filter', 'household' (added with a member), 'response' (answered "I need help")
   * or 'help_request' (asked to be evacuated).
   */
  source: string;
  /** When the emergency travel document is ready; null while it has no date. */
  etd_ready_at: string | null;
  needs_medical_seat: number;
  /** Null: derived from the person's vulnerabilities at plan time. */
  needs_accessible_site: number | null;
  /** The person id while the operation is open, null once closed: unique across operations. */
  active_claim: string | null;
  added_at: string;
  added_by: string | null;
  updated_at: string;
};

export type EvacuationPlanTable = {
  id: string;
  operation_id: string;
  version: number;
  /** 'plan', 'plan_keep', 'leg_added', 'leg_changed', 'leg_cancelled' or 'no_shows_released'. */
  trigger: string;
  planned_at: string;
  planned_by: string | null;
  /** JSON PlanningSettings. */
  settings: string;
  /** JSON PlanSummary (with the server's own unassigned reasons counted in). */
  summary: string;
  /** JSON PlanWarning[]. */
  warnings: string;
};

export type EvacuationPlacementTable = {
  operation_id: string;
  person_id: string;
  plan_id: string;
  group_id: string;
  tier: number;
  leg_id: string | null;
  assembly_point_id: string | null;
  /** 'regular' or 'medical' when placed. */
  seat: string | null;
  /** Why the person has no seat; null when placed. */
  reason: string | null;
};

export type EvacuationBoardingTable = {
  operation_id: string;
  person_id: string;
  leg_id: string;
  assembly_point_id: string;
  seat: string;
  /** When the pass was scanned, as the scanning device saw it (offline scans sync later). */
  scanned_at: string;
  recorded_at: string;
  device_id: string;
  recorded_by: string | null;
};

export type EvacuationCostItemTable = {
  id: string;
  operation_id: string;
  person_id: string;
  /** 'fare', 'exit_fee', 'penalty' or 'cash_assistance'. */
  kind: string;
  amount_thousandths: number;
  /** ISO 4217 alphabetic code. */
  currency: string;
  /** 'paid' or 'waived'. */
  status: string;
  /** Encrypted at rest. */
  notes_enc: string | null;
  recorded_at: string;
  recorded_by: string | null;
};

/** A boarding pass sent to an evacuee as a direct message. */
export type EvacuationPassSendTable = {
  id: string;
  operation_id: string;
  person_id: string;
  leg_id: string;
  /** Digest of what the message said (token, assembly point, gathering time, destination). */
  pass_key: string;
  /** The direct message (delivery outbox) that carries the pass. */
  message_id: string;
  /** The channel it was queued on first. */
  channel: string;
  sent_at: string;
  sent_by: string | null;
};

export type ReturnCaseTable = {
  id: string;
  person_id: string;
  operation_id: string | null;
  leg_id: string | null;
  /** 'reintegration' on arrival; the cases capability adds later stages. */
  stage: string;
  /** 'open' or 'closed'. */
  status: string;
  opened_at: string;
  opened_by: string | null;
  updated_at: string;
};

export type EvacuationOperationRow = Selectable<EvacuationOperationTable>;
export type EvacuationAssemblyPointRow = Selectable<EvacuationAssemblyPointTable>;
export type EvacuationHubRow = Selectable<EvacuationHubTable>;
export type EvacuationLegRow = Selectable<EvacuationLegTable>;
export type EvacuationEvacueeRow = Selectable<EvacuationEvacueeTable>;
export type EvacuationPlanRow = Selectable<EvacuationPlanTable>;
export type EvacuationPlacementRow = Selectable<EvacuationPlacementTable>;
export type EvacuationBoardingRow = Selectable<EvacuationBoardingTable>;
export type EvacuationCostItemRow = Selectable<EvacuationCostItemTable>;
export type ReturnCaseRow = Selectable<ReturnCaseTable>;
export type NewEvacuationPlacementRow = Insertable<EvacuationPlacementTable>;
