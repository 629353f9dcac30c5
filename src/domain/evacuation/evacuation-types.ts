// Input and output types of the evacuation planner. Times are epoch milliseconds (UTC) so that the
// planner compares plain numbers on its hot path; the edges convert from and to ISO 8601.

/** Vulnerability codes used by the registry. */
export const VULNERABILITY_CODES = [
  'pregnant',
  'child',
  'unaccompanied_child',
  'disability',
  'medical',
  'chronic_illness',
  'elderly',
  'trafficking_survivor',
  'violence_survivor',
  'detained',
  'passport_held_by_employer',
] as const;

export type VulnerabilityCode = (typeof VULNERABILITY_CODES)[number];

/** Milliseconds since 1970-01-01T00:00:00Z. */
export type EpochMillis = number;

export type TransportMode = 'bus' | 'flight' | 'ship' | 'train';

/** A regular seat, or a place reserved for medical and stretcher cases. */
export type SeatKind = 'regular' | 'medical';

/** One person to evacuate. Location is where the person is now, used for the distance rule. */
export type Evacuee = {
  id: string;
  groupId: string;
  vulnerabilities: readonly VulnerabilityCode[];
  /** Used for the age criterion of a priority tier (elderly); null when unknown. */
  birthYear: number | null;
  /**
   * Must travel in a medical place (stretcher or medical seat). Such a person also needs an accessible
   * assembly point. Someone with the `medical` vulnerability alone may use either kind of seat.
   */
  needsMedicalSeat: boolean;
  /** Needs step-free access at the assembly point (wheelchair, crutches). */
  needsAccessibleSite?: boolean;
  /**
   * When the person's emergency travel document will be ready; null when they can travel now.
   * `Number.POSITIVE_INFINITY` means a document is needed and has no date yet.
   */
  documentReadyAt: EpochMillis | null;
  lat: number;
  lon: number;
};

/** A household or another group that travels together and is never split. */
export type EvacueeGroup = {
  id: string;
  kind: 'household' | 'group';
};

export type AssemblyPoint = {
  id: string;
  lat: number;
  lon: number;
  /** Most people the plan may route through this point over the operation (its throughput). */
  capacity: number;
  opensAt: EpochMillis;
  closesAt: EpochMillis;
  /** Step-free access: required by people who need a medical seat or an accessible site. */
  accessible: boolean;
};

/**
 * An airport, port or station that legs leave from. People gather at one of the assembly points it
 * serves and are taken there, which takes `transferMinutes` before the departure.
 */
export type TransportHub = {
  id: string;
  assemblyPointIds: readonly string[];
  transferMinutes: number;
};

export type LegOrigin = { kind: 'assembly_point'; assemblyPointId: string } | { kind: 'hub'; hubId: string };

/** One transport departure with seats. */
export type TransportLeg = {
  id: string;
  mode: TransportMode;
  origin: LegOrigin;
  destination: string;
  departsAt: EpochMillis;
  /** All places on board, medical places included. */
  seats: number;
  /** Places reserved for people who need or may use a medical seat; part of `seats`. */
  medicalSeats: number;
  cancelled: boolean;
};

/** An assignment already recorded for the operation; boarded people are never moved. */
export type ExistingAssignment = {
  evacueeId: string;
  legId: string;
  assemblyPointId: string;
  seat: SeatKind;
  boarded: boolean;
};

/** Everything the planner needs, as it stands at `now`. */
export type EvacuationInput = {
  /** The plan time: nobody is given a leg that departs before it. */
  now: EpochMillis;
  evacuees: readonly Evacuee[];
  groups: readonly EvacueeGroup[];
  assemblyPoints: readonly AssemblyPoint[];
  hubs?: readonly TransportHub[];
  legs: readonly TransportLeg[];
  existingAssignments?: readonly ExistingAssignment[];
};

/**
 * One priority tier. A person belongs to the first tier (in scheme order) whose criteria they meet;
 * a person who meets none belongs to the last tier.
 */
export type PriorityTier = {
  /** Stable label for screens and reports, e.g. `medical`. */
  label: string;
  /** Worth of one evacuated person of this tier in the objective; never above the tier before it. */
  weight: number;
  vulnerabilities: readonly VulnerabilityCode[];
  /** People who need a medical seat fall in this tier. */
  includesMedicalSeatNeeds?: boolean;
  /** People at least this old at the plan time (from their birth year) fall in this tier. */
  minimumAge?: number;
};

/** Tiers in order, most urgent first: tier 1 is the first entry. */
export type PriorityScheme = readonly PriorityTier[];

export type PlanningOptions = {
  /** Farthest anyone is asked to travel to an assembly point, in kilometres. Default 50. */
  maxDistanceKm?: number;
  tiers?: PriorityScheme;
  /**
   * How many kilometres of extra travel to an assembly point are worth one hour of earlier departure
   * when the planner chooses between options for a group. Default 10.
   */
  kmWorthOneHour?: number;
};

/** The options a plan was made with, every default filled in. */
export type PlanningSettings = {
  maxDistanceKm: number;
  tiers: PriorityScheme;
  kmWorthOneHour: number;
};

/** Why a person is left without a seat. Codes are stable: screens and reports key on them. */
export const UNASSIGNED_REASONS = [
  /** No assembly point lies within the maximum distance of every member of the group. */
  'no_assembly_point_within_distance',
  /** Points lie within reach, but none is accessible and the group needs one. */
  'no_accessible_assembly_point_within_distance',
  /** Every assembly point within reach is smaller than the group. */
  'group_larger_than_assembly_point',
  /** No usable leg (not cancelled, not yet departed, point open) leaves from a point within reach. */
  'no_leg_within_distance',
  /** Every usable leg within reach departs before the group's travel documents are ready. */
  'documents_not_ready',
  /** Every leg within reach (documents permitting) has fewer places of the needed kinds than the group. */
  'group_larger_than_any_leg',
  /** The group needs medical places and no leg within reach has enough of them. */
  'no_medical_seat',
  /** Suitable legs existed, but their seats or the assembly points' room went to other people. */
  'capacity_exhausted',
] as const;

export type UnassignedReason = (typeof UNASSIGNED_REASONS)[number];

/** A person given a leg (or already aboard it). */
export type EvacueeAssignment = {
  evacueeId: string;
  groupId: string;
  /** The group's priority tier, 1 being the most urgent. */
  tier: number;
  assemblyPointId: string;
  legId: string;
  departsAt: EpochMillis;
  seat: SeatKind;
  boarded: boolean;
};

export type UnassignedEvacuee = {
  evacueeId: string;
  groupId: string;
  tier: number;
  reason: UnassignedReason;
};

/**
 * - `assembly_point_without_legs`: no usable leg leaves from the point (or from a hub it serves);
 * - `leg_departed`: the leg left before the plan time, or too soon to reach it through its hub: skipped;
 * - `leg_outside_opening_hours`: every point the leg serves is closed when people would gather: skipped;
 * - `hub_without_assembly_points`: the hub serves no point, so its legs take nobody;
 * - `empty_group`: a group with no members.
 */
export type PlanWarningCode =
  | 'evacuation.assembly_point_without_legs'
  | 'evacuation.leg_departed'
  | 'evacuation.leg_outside_opening_hours'
  | 'evacuation.hub_without_assembly_points'
  | 'evacuation.empty_group';

/** Something wrong with the input that the plan works around. */
export type PlanWarning = {
  code: PlanWarningCode;
  /** Id of the assembly point, leg, hub or group concerned. */
  subjectId: string;
};

export type LegLoad = {
  legId: string;
  regularSeatsUsed: number;
  medicalSeatsUsed: number;
};

export type AssemblyPointLoad = {
  assemblyPointId: string;
  people: number;
};

export type TierSummary = {
  tier: number;
  label: string;
  people: number;
  assigned: number;
  /** Mean hours from the plan time to departure over the tier's assigned people not yet aboard; null if none. */
  meanHoursToDeparture: number | null;
};

export type PlanSummary = {
  people: number;
  assigned: number;
  boarded: number;
  unassigned: number;
  /** The objective: each assigned person counts the weight of their group's tier. */
  weightedEvacuated: number;
  /** The same sum over everyone, assigned or not. */
  weightedDemand: number;
  unassignedByReason: Partial<Record<UnassignedReason, number>>;
  tiers: TierSummary[];
  /** Mean distance from an assigned person not yet aboard to their assembly point; null if none. */
  meanDistanceKm: number | null;
};

export type EvacuationPlan = {
  plannedAt: EpochMillis;
  settings: PlanningSettings;
  assignments: EvacueeAssignment[];
  unassigned: UnassignedEvacuee[];
  legLoads: LegLoad[];
  assemblyPointLoads: AssemblyPointLoad[];
  warnings: PlanWarning[];
  summary: PlanSummary;
};

/** What changed since the previous plan. */
export type PlanChange =
  | { kind: 'leg_cancelled'; legId: string }
  | { kind: 'leg_added'; leg: TransportLeg }
  /** People who did not turn up for their leg: their seats are freed and they are planned again. */
  | { kind: 'no_shows_released'; evacueeIds: readonly string[] };
