import { type Static, type TSchema, Type } from 'typebox';
import { UNASSIGNED_REASONS, VULNERABILITY_CODES } from '../../domain/evacuation/evacuation-types.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import { AMOUNT_PATTERN } from './cost-amounts.ts';

const Id = Type.String({ pattern: UUID_PATTERN, description: 'Opaque identifier (UUID v7)' });
const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 with a time zone' });
const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);

export const OPERATION_STATUSES = ['planning', 'active', 'closed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const TRANSPORT_MODES = ['bus', 'flight', 'ship', 'train'] as const;
export const LEG_STATUSES = ['scheduled', 'cancelled', 'boarding_closed', 'arrived'] as const;
export type LegStatus = (typeof LEG_STATUSES)[number];
export const COST_KINDS = ['fare', 'exit_fee', 'penalty', 'cash_assistance'] as const;
export const COST_STATUSES = ['paid', 'waived'] as const;
/**
 * Why someone has no seat: the planner's reasons, plus `location_unknown` for a person (and their
 * household) with no recorded location, whom the planner cannot measure distances for.
 */
export const PLACEMENT_REASONS = [...UNASSIGNED_REASONS, 'location_unknown'] as const;
export type PlacementReason = (typeof PLACEMENT_REASONS)[number];

export const IdParams = Type.Object({ id: Id });
export const EvacueeParams = Type.Object({ id: Id, personId: Id });

// ------------------------------------------------------------------------------------------ operations

const PriorityTierBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 60 }),
    weight: Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }),
    vulnerabilities: Type.Array(StringEnum(VULNERABILITY_CODES), { maxItems: VULNERABILITY_CODES.length }),
    includesMedicalSeatNeeds: Type.Optional(Type.Boolean()),
    minimumAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
  },
  { additionalProperties: false },
);

export const PlanningOptionsBody = Type.Object(
  {
    maxDistanceKm: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 20000, description: 'Default 50' }),
    ),
    kmWorthOneHour: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10000,
        description: 'Extra km to an assembly point worth one hour earlier departure. Default 10',
      }),
    ),
    tiers: Type.Optional(
      Type.Array(PriorityTierBody, {
        minItems: 1,
        maxItems: 20,
        description:
          'Priority tiers, most urgent first, weights non-increasing. Default: medical, unaccompanied children, pregnant, disability or elderly, survivors of trafficking or violence, everyone else',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PlanningOptionsBody = Static<typeof PlanningOptionsBody>;

export const OperationCreate = Type.Object(
  {
    crisis: Type.String({ minLength: 1, maxLength: 200, description: 'Name of the crisis' }),
    country: Type.String({ minLength: 2, maxLength: 3, description: 'ISO 3166-1 country evacuated' }),
    areaId: Type.Optional(Nullable(Id)),
    alertLevel: Type.Integer({ minimum: 0, maximum: 20 }),
    status: Type.Optional(StringEnum(['planning', 'active'] as const)),
    planning: Type.Optional(PlanningOptionsBody),
  },
  { additionalProperties: false },
);
export type OperationCreate = Static<typeof OperationCreate>;

export const OperationPatch = Type.Object(
  {
    crisis: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    alertLevel: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    status: Type.Optional(
      StringEnum(OPERATION_STATUSES, {
        description: 'planning → active → closed; closing frees its evacuees for other operations',
      }),
    ),
    planning: Type.Optional(PlanningOptionsBody),
  },
  { additionalProperties: false },
);
export type OperationPatch = Static<typeof OperationPatch>;

export const OperationQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(OPERATION_STATUSES)),
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 3 })),
  },
  { additionalProperties: false },
);
export type OperationQuery = Static<typeof OperationQuery>;

export const OperationView = Type.Object({
  id: Type.String(),
  crisis: Type.String(),
  country: Type.String(),
  areaId: Nullable(Type.String()),
  alertLevel: Type.Integer(),
  status: Type.String(),
  planning: PlanningOptionsBody,
  currentPlanId: Nullable(Type.String()),
  counts: Type.Object({
    evacuees: Type.Integer(),
    assemblyPoints: Type.Integer(),
    legs: Type.Integer(),
    boarded: Type.Integer(),
    arrived: Type.Integer(),
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type OperationView = Static<typeof OperationView>;

// -------------------------------------------------------------------------------------- points, hubs

export const AssemblyPointCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    capacity: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'People over the operation' }),
    opensAt: Timestamp,
    closesAt: Timestamp,
    accessible: Type.Boolean({ description: 'Step-free access' }),
  },
  { additionalProperties: false },
);
export type AssemblyPointCreate = Static<typeof AssemblyPointCreate>;

export const AssemblyPointView = Type.Object({
  id: Type.String(),
  operationId: Type.String(),
  name: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  capacity: Type.Integer(),
  opensAt: Type.String(),
  closesAt: Type.String(),
  accessible: Type.Boolean(),
  createdAt: Type.String(),
});
export type AssemblyPointView = Static<typeof AssemblyPointView>;

export const HubCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Airport, port or station' }),
    transferMinutes: Type.Integer({
      minimum: 0,
      maximum: 2880,
      description: 'Time from the assembly points to the hub; people gather this long before departure',
    }),
    assemblyPointIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type HubCreate = Static<typeof HubCreate>;

export const HubView = Type.Object({
  id: Type.String(),
  operationId: Type.String(),
  name: Type.String(),
  transferMinutes: Type.Integer(),
  assemblyPointIds: Type.Array(Type.String()),
  createdAt: Type.String(),
});
export type HubView = Static<typeof HubView>;

// ---------------------------------------------------------------------------------------------- legs

export const LegCreate = Type.Object(
  {
    mode: StringEnum(TRANSPORT_MODES),
    originAssemblyPointId: Type.Optional(Id),
    originHubId: Type.Optional(Id),
    destination: Type.String({ minLength: 1, maxLength: 200 }),
    departsAt: Timestamp,
    seats: Type.Integer({ minimum: 0, maximum: 100_000, description: 'All places, medical ones included' }),
    medicalSeats: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100_000, description: 'Medical or stretcher places; default 0' }),
    ),
  },
  { additionalProperties: false },
);
export type LegCreate = Static<typeof LegCreate>;

export const LegPatch = Type.Object(
  {
    destination: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    departsAt: Type.Optional(Timestamp),
    seats: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    medicalSeats: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type LegPatch = Static<typeof LegPatch>;

export const LegView = Type.Object({
  id: Type.String(),
  operationId: Type.String(),
  mode: Type.String(),
  originAssemblyPointId: Nullable(Type.String()),
  originHubId: Nullable(Type.String()),
  destination: Type.String(),
  departsAt: Type.String(),
  seats: Type.Integer(),
  medicalSeats: Type.Integer(),
  status: Type.String(),
  cancelledAt: Nullable(Type.String()),
  boardingClosedAt: Nullable(Type.String()),
  arrivedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type LegView = Static<typeof LegView>;

// ------------------------------------------------------------------------------------------- evacuees

export const EvacueesAdd = Type.Object(
  {
    personIds: Type.Optional(
      Type.Array(Id, { maxItems: 10_000, uniqueItems: true, description: "An officer's selection" }),
    ),
    filter: Type.Optional(
      Type.Object(
        {
          country: Type.Optional(
            Type.String({
              minLength: 2,
              maxLength: 3,
              description: "Persons located in this country (default: the operation's)",
            }),
          ),
          householdIds: Type.Optional(Type.Array(Id, { maxItems: 10_000, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
    ),
    source: Type.Optional(
      StringEnum(['selection', 'response'] as const, {
        description: "'response' for people who asked to be evacuated; default 'selection'",
      }),
    ),
    skipPersonsInOtherOperations: Type.Optional(
      Type.Boolean({
        description:
          'Leave out households with a member claimed by another open operation instead of refusing (409)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EvacueesAdd = Static<typeof EvacueesAdd>;

export const EvacueesAdded = Type.Object({
  added: Type.Integer({ description: 'Persons added now, household members included' }),
  requested: Type.Integer({ description: 'Persons named or matched by the request' }),
  householdMembersAdded: Type.Integer({
    description: 'Persons added because a member of their household was: households travel together',
  }),
  householdsExpanded: Type.Integer(),
  alreadyInOperation: Type.Integer(),
  skippedInOtherOperations: Type.Integer(),
  householdMembersOutsideJurisdiction: Type.Integer(),
  personIds: Type.Array(Type.String()),
});
export type EvacueesAdded = Static<typeof EvacueesAdded>;

/** Where people who asked to be evacuated are found. */
export const REQUEST_SOURCES = ['help_requests', 'responses'] as const;
/** Why someone who asked to be evacuated was not added. */
export const REQUEST_SKIP_REASONS = [
  'already_in_operation',
  'in_other_operation',
  'outside_operation_area',
  'location_unknown',
] as const;
export type RequestSkipReason = (typeof REQUEST_SKIP_REASONS)[number];

export const EvacueesFromRequests = Type.Object(
  {
    sources: Type.Optional(
      Type.Array(StringEnum(REQUEST_SOURCES), {
        minItems: 1,
        uniqueItems: true,
        description:
          "'help_requests': open help requests of type evacuation; 'responses': people whose latest answer to the operation's alerts is need_help. Default: both",
      }),
    ),
    alertIds: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: 500,
        uniqueItems: true,
        description:
          "The alerts whose answers count. Default: the real alerts issued for the operation's country from 30 days before the operation opened",
      }),
    ),
    since: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Without alertIds: count answers to alerts issued from this time on',
      }),
    ),
    skipPersonsInOtherOperations: Type.Optional(
      Type.Boolean({
        description:
          'Leave out (and report) households with a member claimed by another open operation instead of refusing (409)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EvacueesFromRequests = Static<typeof EvacueesFromRequests>;

export const EvacueesFromRequestsResult = Type.Object({
  found: Type.Object({
    helpRequests: Type.Integer({ description: 'People with an open evacuation help request' }),
    responses: Type.Integer({
      description: "People whose latest answer to the operation's alerts is need_help",
    }),
    alerts: Type.Integer({ description: 'Alerts whose answers were read' }),
  }),
  added: Type.Integer({ description: 'Persons added now, household members included' }),
  householdMembersAdded: Type.Integer(),
  householdMembersOutsideJurisdiction: Type.Integer(),
  addedPersons: Type.Array(
    Type.Object({
      personId: Type.String(),
      source: StringEnum(['help_request', 'response', 'household'] as const),
    }),
  ),
  skipped: Type.Array(Type.Object({ personId: Type.String(), reason: StringEnum(REQUEST_SKIP_REASONS) })),
  skippedByReason: Type.Record(Type.String(), Type.Integer()),
});
export type EvacueesFromRequestsResult = Static<typeof EvacueesFromRequestsResult>;

export const EvacueePatch = Type.Object(
  {
    etdReadyAt: Type.Optional(
      Nullable(Timestamp, {
        description: 'When the emergency travel document is ready (only for people without their passport)',
      }),
    ),
    needsMedicalSeat: Type.Optional(
      Type.Boolean({ description: 'Must travel in a medical/stretcher place' }),
    ),
    needsAccessibleSite: Type.Optional(
      Nullable(Type.Boolean(), { description: 'Null: derived from a recorded disability' }),
    ),
  },
  { additionalProperties: false },
);
export type EvacueePatch = Static<typeof EvacueePatch>;

export const EvacueeQuery = Type.Object(
  {
    after: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
  },
  { additionalProperties: false },
);
export type EvacueeQuery = Static<typeof EvacueeQuery>;

const PlacementView = Type.Object({
  tier: Type.Integer(),
  legId: Nullable(Type.String()),
  assemblyPointId: Nullable(Type.String()),
  seat: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});

export const EvacueeView = Type.Object({
  personId: Type.String(),
  givenNames: Type.String(),
  familyName: Nullable(Type.String()),
  householdId: Nullable(Type.String()),
  groupId: Type.String(),
  groupKind: Type.String(),
  source: Type.String(),
  documentStatus: Type.String(),
  needsEmergencyTravelDocument: Type.Boolean(),
  etdReadyAt: Nullable(Type.String()),
  needsMedicalSeat: Type.Boolean(),
  needsAccessibleSite: Nullable(Type.Boolean()),
  placement: Nullable(PlacementView),
  boarded: Type.Boolean(),
  addedAt: Type.String(),
});
export type EvacueeView = Static<typeof EvacueeView>;

// ---------------------------------------------------------------------------------------------- plans

export const PlanRequest = Type.Object(
  {
    keepAssignments: Type.Optional(
      Type.Boolean({
        description:
          'Re-plan incrementally: keep everyone where they are wherever every rule still holds and place the others (default: plan afresh; boarded people never move)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PlanRequest = Static<typeof PlanRequest>;

const Unassigned = Type.Object({
  personId: Type.String(),
  groupId: Type.String(),
  tier: Type.Integer(),
  reason: StringEnum(PLACEMENT_REASONS),
});

const Warning = Type.Object({ code: Type.String(), subjectId: Type.String() });

const TierSummary = Type.Object({
  tier: Type.Integer(),
  label: Type.String(),
  people: Type.Integer(),
  assigned: Type.Integer(),
  meanHoursToDeparture: Nullable(Type.Number()),
});

export const PlanSummaryView = Type.Object({
  people: Type.Integer(),
  assigned: Type.Integer(),
  boarded: Type.Integer(),
  unassigned: Type.Integer(),
  weightedEvacuated: Type.Number(),
  weightedDemand: Type.Number(),
  unassignedByReason: Type.Record(Type.String(), Type.Integer()),
  tiers: Type.Array(TierSummary),
  meanDistanceKm: Nullable(Type.Number()),
});
export type PlanSummaryView = Static<typeof PlanSummaryView>;

export const PlanResult = Type.Object({
  planId: Type.String(),
  version: Type.Integer(),
  trigger: Type.String(),
  plannedAt: Type.String(),
  summary: PlanSummaryView,
  warnings: Type.Array(Warning),
  unassigned: Type.Array(Unassigned),
});
export type PlanResult = Static<typeof PlanResult>;

const LegAssignment = Type.Object({
  personId: Type.String(),
  groupId: Type.String(),
  tier: Type.Integer(),
  assemblyPointId: Type.String(),
  seat: Type.String(),
  boarded: Type.Boolean(),
});

export const PlanView = Type.Object({
  planId: Type.String(),
  version: Type.Integer(),
  trigger: Type.String(),
  plannedAt: Type.String(),
  settings: Type.Object({
    maxDistanceKm: Type.Number(),
    kmWorthOneHour: Type.Number(),
    tiers: Type.Array(Type.Object({ tier: Type.Integer(), label: Type.String(), weight: Type.Number() })),
  }),
  summary: PlanSummaryView,
  warnings: Type.Array(Warning),
  legs: Type.Array(
    Type.Object({
      legId: Type.String(),
      mode: Type.String(),
      destination: Type.String(),
      departsAt: Type.String(),
      status: Type.String(),
      seats: Type.Integer(),
      medicalSeats: Type.Integer(),
      regularUsed: Type.Integer(),
      medicalUsed: Type.Integer(),
      boarded: Type.Integer(),
      fill: Type.Number({ description: 'Places used over places, 0..1' }),
      assignments: Type.Array(LegAssignment),
    }),
  ),
  assemblyPoints: Type.Array(
    Type.Object({
      assemblyPointId: Type.String(),
      name: Type.String(),
      capacity: Type.Integer(),
      people: Type.Integer(),
    }),
  ),
  unassigned: Type.Array(Unassigned),
  notPlanned: Type.Integer({ description: 'Evacuees added since this plan was made' }),
});
export type PlanView = Static<typeof PlanView>;

export const LegChange = Type.Object({
  leg: LegView,
  replan: Nullable(PlanResult, {
    description: 'The incremental re-plan this change caused, when a plan was in force',
  }),
});
export type LegChange = Static<typeof LegChange>;

// ------------------------------------------------------------------------------------------- boarding

export const HeadCount = Type.Object({
  legId: Type.String(),
  boarded: Type.Integer(),
  assigned: Type.Integer({ description: 'People the plan puts on the leg, boarded ones included' }),
  seats: Type.Integer(),
});
export type HeadCount = Static<typeof HeadCount>;

export const BoardingPasses = Type.Object({
  legId: Type.String(),
  items: Type.Array(
    Type.Object({
      personId: Type.String(),
      givenNames: Type.String(),
      familyName: Nullable(Type.String()),
      seat: Type.String(),
      assemblyPointId: Type.String(),
      assemblyPointName: Type.String(),
      departsAt: Type.String(),
      token: Type.String({ description: 'Signed; what the QR code holds' }),
      expiresAt: Type.String(),
      qrCodeDataUrl: Type.String({ description: 'SVG image of the QR code as a data: URL' }),
    }),
  ),
});
export type BoardingPasses = Static<typeof BoardingPasses>;

export const ManifestView = Type.Object({
  crisis: Type.String(),
  country: Type.String(),
  leg: Type.Object({
    id: Type.String(),
    mode: Type.String(),
    origin: Type.String({ description: 'The assembly point or hub the leg leaves from' }),
    destination: Type.String(),
    departsAt: Type.String(),
    status: Type.String(),
    seats: Type.Integer(),
    medicalSeats: Type.Integer(),
  }),
  generatedAt: Type.String(),
  entries: Type.Array(
    Type.Object({
      personId: Type.String(),
      familyName: Nullable(Type.String()),
      givenNames: Type.String(),
      household: Nullable(Type.String({ description: "The household's label" })),
      seat: Type.String({ description: "'regular' or 'medical'" }),
      assemblyPoint: Type.String(),
      documentStatus: Type.String(),
      etdReadyAt: Nullable(Type.String()),
      boardedAt: Nullable(Type.String()),
    }),
  ),
});
export type ManifestView = Static<typeof ManifestView>;

export const BoardingPassSend = Type.Object(
  {
    personIds: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: 10_000,
        uniqueItems: true,
        description: 'Only these people on the leg (default: everyone on it)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type BoardingPassSend = Static<typeof BoardingPassSend>;

export const PASS_SEND_SKIP_REASONS = ['already_sent', 'unreachable', 'already_boarded'] as const;

export const BoardingPassSendResult = Type.Object({
  legId: Type.String(),
  sent: Type.Array(
    Type.Object({
      personId: Type.String(),
      channel: Type.String({ description: 'The channel it was queued on first' }),
      messageId: Type.String(),
    }),
  ),
  skipped: Type.Array(
    Type.Object({
      personId: Type.String(),
      reason: StringEnum(PASS_SEND_SKIP_REASONS, {
        description:
          'already_sent: this very pass went out before; unreachable: no consented contact; already_boarded',
      }),
    }),
  ),
  counts: Type.Object({
    sent: Type.Integer(),
    alreadySent: Type.Integer(),
    unreachable: Type.Integer(),
    alreadyBoarded: Type.Integer(),
  }),
});
export type BoardingPassSendResult = Static<typeof BoardingPassSendResult>;

export const ScanBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 400 }),
    legId: Id,
    scannedAt: Timestamp,
    deviceId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
export type ScanBody = Static<typeof ScanBody>;

export const ScanResult = Type.Object({
  status: Type.Literal('boarded'),
  alreadyBoarded: Type.Boolean(),
  personId: Type.String(),
  givenNames: Type.String(),
  familyName: Nullable(Type.String()),
  legId: Type.String(),
  seat: Type.String(),
  scannedAt: Type.String(),
  headCount: HeadCount,
});
export type ScanResult = Static<typeof ScanResult>;

export const ScanBatch = Type.Object(
  { scans: Type.Array(ScanBody, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type ScanBatch = Static<typeof ScanBatch>;

export const ScanBatchResult = Type.Object({
  results: Type.Array(
    Type.Union([
      Type.Object({ index: Type.Integer(), ok: Type.Literal(true), result: ScanResult }),
      Type.Object({
        index: Type.Integer(),
        ok: Type.Literal(false),
        status: Type.Integer(),
        code: Type.String(),
        detail: Type.String(),
      }),
    ]),
  ),
  headCounts: Type.Array(HeadCount),
});
export type ScanBatchResult = Static<typeof ScanBatchResult>;

export const BoardingLegs = Type.Object({
  items: Type.Array(
    Type.Object({
      legId: Type.String(),
      operationId: Type.String(),
      crisis: Type.String(),
      country: Type.String(),
      mode: Type.String(),
      destination: Type.String(),
      departsAt: Type.String(),
      status: Type.String(),
      headCount: HeadCount,
    }),
  ),
});
export type BoardingLegs = Static<typeof BoardingLegs>;

export const CloseBoardingResult = Type.Object({
  leg: LegView,
  boarded: Type.Integer(),
  noShows: Type.Integer({ description: 'Assigned people who did not board, released for re-planning' }),
  replan: Nullable(PlanResult),
});
export type CloseBoardingResult = Static<typeof CloseBoardingResult>;

export const ArrivalBody = Type.Object(
  { arrivedAt: Type.Optional(Timestamp) },
  { additionalProperties: false },
);
export type ArrivalBody = Static<typeof ArrivalBody>;

export const ArrivalResult = Type.Object({
  leg: LegView,
  arrived: Type.Integer(),
  returnCasesOpened: Type.Integer(),
});
export type ArrivalResult = Static<typeof ArrivalResult>;

// ---------------------------------------------------------------------------------------------- costs

export const CostCreate = Type.Object(
  {
    kind: StringEnum(COST_KINDS),
    amount: Type.String({ pattern: AMOUNT_PATTERN, description: 'Decimal text, at most 3 decimals' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
    status: StringEnum(COST_STATUSES),
    notes: Type.Optional(Type.String({ maxLength: 2000, description: 'Encrypted at rest' })),
  },
  { additionalProperties: false },
);
export type CostCreate = Static<typeof CostCreate>;

export const CostView = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  kind: Type.String(),
  amount: Type.String(),
  currency: Type.String(),
  status: Type.String(),
  notes: Nullable(Type.String()),
  recordedAt: Type.String(),
});
export type CostView = Static<typeof CostView>;

export const CostTotals = Type.Object({
  operationId: Type.String(),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      paid: Type.String(),
      waived: Type.String(),
      total: Type.String(),
      items: Type.Integer(),
      evacuees: Type.Integer(),
      byKind: Type.Array(Type.Object({ kind: Type.String(), paid: Type.String(), waived: Type.String() })),
    }),
  ),
});
export type CostTotals = Static<typeof CostTotals>;
