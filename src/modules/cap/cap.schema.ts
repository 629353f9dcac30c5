import { type Static, Type } from 'typebox';
import { UUID_PATTERN } from '../../lib/ids.ts';
import { AlertPatch, TargetCircle, TargetPolygon } from '../alerts/alerts.schema.ts';

const Timestamp = Type.String({ description: 'ISO-8601 UTC' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const IncidentIdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });

const ValuePair = Type.Object({ valueName: Type.String(), value: Type.String() });

export const IncidentInfoView = Type.Object({
  language: Type.String(),
  event: Type.String(),
  headline: NullableString,
  description: NullableString,
  instruction: NullableString,
  senderName: NullableString,
  category: Type.Array(Type.String()),
  responseType: Type.Array(Type.String()),
  urgency: Type.String(),
  severity: Type.String(),
  certainty: Type.String(),
  effective: NullableString,
  expires: NullableString,
});
export type IncidentInfoView = Static<typeof IncidentInfoView>;

export const IncidentAreaView = Type.Object({
  position: Type.Integer(),
  infoIndex: Type.Integer(),
  areaDesc: Type.String(),
  shapes: Type.Union(
    [
      Type.Array(
        Type.Union([
          TargetPolygon,
          Type.Object({ type: Type.Literal('Circle'), ...TargetCircle.properties }),
        ]),
      ),
      Type.Null(),
    ],
    {
      description: 'The area as targeting shapes (GeoJSON Polygons and circles); null when it was rejected',
    },
  ),
  geocodes: Type.Array(ValuePair),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()], {
    description: 'Why the area is left out of the proposed target',
  }),
});

const PreviewCount = Type.Object({
  total: Type.Integer(),
  byCountry: Type.Record(Type.String(), Type.Integer()),
  withoutCountry: Type.Integer(),
});

export const IncidentSummaryView = Type.Object({
  id: Type.String(),
  source: Type.Object({ sender: Type.String(), identifier: Type.String(), sent: Type.String() }),
  capVersion: Type.String(),
  status: Type.String(),
  drill: Type.Boolean({ description: 'The agency marked the message Exercise' }),
  msgType: Type.String(),
  scope: Type.String(),
  event: Type.String(),
  urgency: Type.String(),
  severity: Type.String(),
  certainty: Type.String(),
  headlines: Type.Array(Type.Object({ language: Type.String(), headline: NullableString })),
  importedAt: Timestamp,
  importedBy: NullableString,
  importedVia: Type.String({ description: 'api or cli' }),
  draftAlertId: NullableString,
});
export type IncidentSummaryView = Static<typeof IncidentSummaryView>;

export const IncidentView = Type.Object({
  ...IncidentSummaryView.properties,
  infos: Type.Array(IncidentInfoView),
  references: Type.Array(
    Type.Object({ sender: Type.String(), identifier: Type.String(), sent: Type.String() }),
  ),
  areas: Type.Array(IncidentAreaView),
  rejectedAreas: Type.Integer(),
  proposedTarget: Type.Union(
    [Type.Object({ polygons: Type.Array(TargetPolygon), circles: Type.Array(TargetCircle) }), Type.Null()],
    { description: 'The union of the valid areas, ready for a draft alert; null when no area could be used' },
  ),
  preview: Type.Union([PreviewCount, Type.Null()], { description: 'Who the proposed target reaches now' }),
});
export type IncidentView = Static<typeof IncidentView>;

export const IncidentListQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const IncidentListView = Type.Object({
  items: Type.Array(IncidentSummaryView),
  nextCursor: NullableString,
});

/** Any alert field; those not given come from the incident (its texts, its event, its areas as the target). */
export const DraftFromIncidentBody = AlertPatch;
export type DraftFromIncidentBody = Static<typeof DraftFromIncidentBody>;

export const FeedQuery = Type.Object(
  {
    drills: Type.Optional(
      Type.Union([Type.Literal('include'), Type.Literal('exclude')], {
        description: 'include: list drills too, each marked [EXERCISE]; default exclude',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PublicCapParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 200 }) });
