import { type Static, Type } from 'typebox';
import { ALERT_STATES, ALERT_STATUSES } from '../../domain/alerts/lifecycle.ts';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_RESPONSE_TYPES,
  CAP_SEVERITIES,
  CAP_URGENCIES,
} from '../../domain/cap/cap-types.ts';
import { SEXES, VULNERABILITIES } from '../../domain/registry/person.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';

const Id = Type.String({ pattern: UUID_PATTERN, description: 'Opaque identifier (UUID v7)' });
const Timestamp = Type.String({ description: 'ISO-8601 UTC' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const CapDateTimeIn = Type.String({
  maxLength: 40,
  description: 'Date and time with a UTC offset or Z, e.g. 2026-11-27T15:00:00+03:00 (seconds required)',
});
const CapDateTimeOut = Type.String({ description: 'CAP dateTime with a numeric UTC offset' });

// Geometry is checked by the domain (closure, self-intersection, ranges), so that each fault gets its
// own code; the schema only fixes the GeoJSON shape.
const Position = Type.Array(Type.Number(), {
  minItems: 2,
  maxItems: 3,
  description: '[longitude, latitude]',
});
const Ring = Type.Array(Position, { maxItems: 100_000 });
export const PolygonGeometry = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { maxItems: 1000 }) },
  { additionalProperties: false },
);
export const MultiPolygonGeometry = Type.Object(
  {
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Ring, { maxItems: 1000 }), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export const TargetPolygon = Type.Union([PolygonGeometry, MultiPolygonGeometry], {
  description: 'GeoJSON (RFC 7946) Polygon or MultiPolygon; rings closed, [longitude, latitude]',
});
export type TargetPolygon = Static<typeof TargetPolygon>;

export const TargetCircle = Type.Object(
  {
    center: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[longitude, latitude]' }),
    radiusMeters: Type.Number({ description: 'Radius in metres, up to 10,000 km' }),
  },
  { additionalProperties: false },
);
export type TargetCircle = Static<typeof TargetCircle>;

export const AGE_BAND_PATTERN = '^(\\d{1,3}-\\d{1,3}|\\d{1,3}\\+)$';

export const TargetFilters = Type.Object(
  {
    languages: Type.Optional(
      Type.Array(Type.String({ maxLength: 35 }), {
        maxItems: 50,
        description: 'People who read any of these',
      }),
    ),
    sexes: Type.Optional(Type.Array(StringEnum(SEXES), { maxItems: SEXES.length })),
    ageBands: Type.Optional(
      Type.Array(Type.String({ pattern: AGE_BAND_PATTERN }), {
        maxItems: 20,
        description: 'Ages, e.g. "0-17", "18-59", "60+"',
      }),
    ),
    vulnerabilities: Type.Optional(
      Type.Array(StringEnum(VULNERABILITIES), { maxItems: VULNERABILITIES.length }),
    ),
    householdHeadsOnly: Type.Optional(Type.Boolean()),
    employerIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type TargetFilters = Static<typeof TargetFilters>;

export const AlertTargetBody = Type.Object(
  {
    countries: Type.Optional(
      Type.Array(Type.String({ minLength: 2, maxLength: 3 }), {
        maxItems: 250,
        description: 'Whole host countries (ISO 3166-1)',
      }),
    ),
    areaIds: Type.Optional(Type.Array(Id, { maxItems: 200, description: 'Named areas (GET /api/areas)' })),
    polygons: Type.Optional(Type.Array(TargetPolygon, { maxItems: 100 })),
    circles: Type.Optional(Type.Array(TargetCircle, { maxItems: 100 })),
    filters: Type.Optional(TargetFilters),
  },
  {
    additionalProperties: false,
    description: 'The union of countries, named areas, polygons and circles, narrowed by the filters',
  },
);
export type AlertTargetBody = Static<typeof AlertTargetBody>;

export const AlertInfoBody = Type.Object(
  {
    language: Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47 tag, e.g. ar, am, fil, en' }),
    headline: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 8000 })),
    instruction: Type.Optional(Type.String({ maxLength: 4000 })),
    smsText: Type.String({ minLength: 1, maxLength: 2000, description: 'The SMS text, counted in segments' }),
  },
  { additionalProperties: false },
);
export type AlertInfoBody = Static<typeof AlertInfoBody>;

const alertFields = {
  status: Type.Optional(
    StringEnum(ALERT_STATUSES, { description: 'Exercise marks a drill; default Actual' }),
  ),
  scope: Type.Optional(StringEnum(['Public', 'Restricted'] as const, { description: 'Default Public' })),
  restriction: Type.Optional(Type.String({ maxLength: 500, description: 'Who may see a Restricted alert' })),
  category: Type.Array(StringEnum(CAP_CATEGORIES), { minItems: 1, maxItems: CAP_CATEGORIES.length }),
  event: Type.String({ minLength: 1, maxLength: 200 }),
  urgency: StringEnum(CAP_URGENCIES),
  severity: StringEnum(CAP_SEVERITIES),
  certainty: StringEnum(CAP_CERTAINTIES),
  responseType: Type.Optional(
    Type.Array(StringEnum(CAP_RESPONSE_TYPES), { maxItems: CAP_RESPONSE_TYPES.length }),
  ),
  effective: Type.Optional(CapDateTimeIn),
  expires: Type.Optional(CapDateTimeIn),
  infos: Type.Array(AlertInfoBody, { minItems: 1, maxItems: 40, description: 'One block per language' }),
  target: AlertTargetBody,
  askResponse: Type.Optional(Type.Boolean({ description: 'Ask recipients to answer: safe / need help' })),
  level: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 20 }), Type.Null()], {
      description: 'Alert level of the scheme in use, for context',
    }),
  ),
};

export const AlertCreate = Type.Object(alertFields, { additionalProperties: false });
export type AlertCreate = Static<typeof AlertCreate>;

export const AlertPatch = Type.Partial(Type.Object(alertFields), { additionalProperties: false });
export type AlertPatch = Static<typeof AlertPatch>;

/** An Update: the original's content, changed where the body says. */
export const AlertUpdateBody = AlertPatch;

/** A Cancel needs its own texts (what recipients read: the alert is called off); the rest defaults to the original's. */
export const AlertCancelBody = Type.Object(
  {
    infos: Type.Array(AlertInfoBody, { minItems: 1, maxItems: 40 }),
    responseType: Type.Optional(
      Type.Array(StringEnum(CAP_RESPONSE_TYPES), { maxItems: CAP_RESPONSE_TYPES.length }),
    ),
    target: Type.Optional(AlertTargetBody),
  },
  { additionalProperties: false },
);
export type AlertCancelBody = Static<typeof AlertCancelBody>;

export const RejectBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const PreviewBody = Type.Object({ target: AlertTargetBody }, { additionalProperties: false });
export type PreviewBody = Static<typeof PreviewBody>;

export const PreviewView = Type.Object({
  total: Type.Integer(),
  byCountry: Type.Record(Type.String(), Type.Integer()),
  withoutCountry: Type.Integer({ description: 'People selected by a shape who have no country on record' }),
  outsideJurisdiction: Type.Array(Type.String(), {
    description:
      'Countries with recipients that lie outside the viewer’s jurisdiction (consular officers only)',
  }),
});
export type PreviewView = Static<typeof PreviewView>;

const SmsView = Type.Object({
  encoding: StringEnum(['GSM-7', 'UCS-2'] as const),
  units: Type.Integer(),
  segments: Type.Integer(),
  perSegment: Type.Integer(),
});

export const AlertInfoView = Type.Object({
  language: Type.String(),
  direction: StringEnum(['ltr', 'rtl'] as const),
  headline: Type.String(),
  description: NullableString,
  instruction: NullableString,
  smsText: Type.String(),
  sms: SmsView,
});

const ReferenceView = Type.Object({ sender: Type.String(), identifier: Type.String(), sent: Type.String() });

const TargetView = Type.Object({
  countries: Type.Array(Type.String()),
  areaIds: Type.Array(Type.String()),
  polygons: Type.Array(TargetPolygon),
  circles: Type.Array(TargetCircle),
  filters: TargetFilters,
});

export const IssueReportView = Type.Object({
  recipients: Type.Integer(),
  byLanguage: Type.Record(Type.String(), Type.Integer(), {
    description: 'Recipients per info-block language',
  }),
  byCountry: Type.Record(Type.String(), Type.Integer()),
  fallbackCount: Type.Integer({
    description: 'Recipients who read none of the alert languages and got a fallback block',
  }),
  fallbacks: Type.Array(
    Type.Object({
      wanted: Type.Union([Type.String(), Type.Null()], {
        description: 'The recipient’s first language (null: none recorded)',
      }),
      got: Type.String(),
      count: Type.Integer(),
    }),
    { description: 'Who got a fallback, grouped by the language they read: where a translation is missing' },
  ),
});
export type IssueReportView = Static<typeof IssueReportView>;

const alertSummaryFields = {
  id: Type.String(),
  identifier: Type.String(),
  sender: Type.String(),
  status: StringEnum(ALERT_STATUSES),
  drill: Type.Boolean({ description: 'True for an Exercise: the alert is a drill' }),
  msgType: StringEnum(['Alert', 'Update', 'Cancel'] as const),
  scope: StringEnum(['Public', 'Restricted'] as const),
  restriction: NullableString,
  state: StringEnum(ALERT_STATES),
  references: Type.Array(ReferenceView),
  followsAlertId: NullableString,
  category: Type.Array(Type.String()),
  event: Type.String(),
  urgency: Type.String(),
  severity: Type.String(),
  certainty: Type.String(),
  responseType: Type.Array(Type.String()),
  effective: Type.Union([CapDateTimeOut, Type.Null()]),
  expires: Type.Union([CapDateTimeOut, Type.Null()]),
  countries: Type.Array(Type.String(), { description: 'Host countries the alert concerns' }),
  askResponse: Type.Boolean(),
  postId: Type.Union([Type.String(), Type.Null()], {
    description: 'The drafting post; null for headquarters',
  }),
  level: Type.Union([Type.Integer(), Type.Null()]),
  incidentId: NullableString,
  sent: Type.Union([CapDateTimeOut, Type.Null()]),
  draftedBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  submittedBy: NullableString,
  submittedAt: Type.Union([Timestamp, Type.Null()]),
  approvedBy: NullableString,
  approvedAt: Type.Union([Timestamp, Type.Null()]),
  rejection: Type.Union([
    Type.Object({ reason: Type.String(), by: Type.String(), at: Timestamp }),
    Type.Null(),
  ]),
  issuedBy: NullableString,
  issuedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  closedByAlertId: NullableString,
  recipientCount: Type.Union([Type.Integer(), Type.Null()]),
};

export const AlertView = Type.Object({
  ...alertSummaryFields,
  infos: Type.Array(AlertInfoView),
  maxSmsSegments: Type.Integer(),
  target: TargetView,
  issueReport: Type.Union([IssueReportView, Type.Null()]),
});
export type AlertView = Static<typeof AlertView>;

export const AlertSummaryView = Type.Object({
  ...alertSummaryFields,
  headline: Type.String({ description: 'Headline of the first info block' }),
  languages: Type.Array(Type.String()),
});
export type AlertSummaryView = Static<typeof AlertSummaryView>;

export const AlertListQuery = Type.Object(
  {
    state: Type.Optional(StringEnum(ALERT_STATES)),
    status: Type.Optional(StringEnum(ALERT_STATUSES)),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AlertListQuery = Static<typeof AlertListQuery>;

export const AlertListView = Type.Object({
  items: Type.Array(AlertSummaryView),
  nextCursor: NullableString,
});

export const IssueView = Type.Object({ alert: AlertView, report: IssueReportView });
export type IssueView = Static<typeof IssueView>;
