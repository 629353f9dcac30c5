import { type Static, Type } from 'typebox';
import { StringEnum } from '../../http/schema-helpers.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';

const Id = Type.String({ pattern: UUID_PATTERN, description: 'Opaque identifier (UUID v7)' });
const Timestamp = Type.String({ description: 'ISO-8601 UTC' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

const LocalizedText = Type.Record(Type.String(), Type.String(), {
  description: 'Text per BCP 47 language tag, e.g. { "en": "...", "ar": "..." }',
});

const LevelFlags = Type.Object(
  {
    registrationDrive: Type.Boolean(),
    restrictedMovement: Type.Boolean(),
    voluntaryRepatriation: Type.Boolean(),
    mandatoryRepatriation: Type.Boolean(),
    recommendedDeploymentBan: Type.Boolean({
      description: 'A recommendation: the ban itself is decided separately',
    }),
  },
  { additionalProperties: false },
);

const ChecklistItem = Type.Object(
  {
    id: Type.String({ maxLength: 80, description: 'Slug, unique within the level' }),
    title: Type.String({ maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

// Numbers, colours and texts are checked by the domain's validateScheme, which reports every issue at
// once with a path; the schema only fixes the shape.
const Level = Type.Object(
  {
    number: Type.Number({ description: '1 is the mildest; numbered 1..n without gaps' }),
    name: LocalizedText,
    colour: Type.String({ maxLength: 20, description: '#RRGGBB' }),
    description: LocalizedText,
    actions: Type.Object(
      {
        advisory: LocalizedText,
        flags: LevelFlags,
        checklist: Type.Array(ChecklistItem, { maxItems: 100 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const SchemeBody = Type.Object(
  {
    id: Type.String({ maxLength: 80, description: 'Slug' }),
    name: Type.String({ maxLength: 200 }),
    levels: Type.Array(Level, { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type SchemeBody = Static<typeof SchemeBody>;

export const SCHEME_PRESETS = ['ph-crisis', 'travel-advisory'] as const;
export type SchemePresetName = (typeof SCHEME_PRESETS)[number];

export const PresetBody = Type.Object(
  {
    preset: StringEnum(SCHEME_PRESETS, {
      description:
        'ph-crisis: Philippine four-level crisis alert scheme; travel-advisory: four-level travel advisory',
    }),
  },
  { additionalProperties: false },
);
export type PresetBody = Static<typeof PresetBody>;

export const SchemeVersionView = Type.Object({
  version: Type.Integer({ description: 'Increases with every change; earlier versions are kept' }),
  source: Type.String({ description: 'default | preset | edit' }),
  createdAt: Timestamp,
  createdBy: NullableString,
  scheme: SchemeBody,
});
export type SchemeVersionView = Static<typeof SchemeVersionView>;

// Geometry is checked by the domain (closure, self-intersection, ranges) so that each fault gets its own
// code; the schema only fixes the GeoJSON shape.
const Position = Type.Array(Type.Number(), { maxItems: 3, description: '[longitude, latitude]' });
const Ring = Type.Array(Position, { maxItems: 100_000 });
const Bbox = Type.Optional(Type.Array(Type.Number(), { maxItems: 6 }));
export const PolygonGeometry = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { maxItems: 1000 }), bbox: Bbox },
  { additionalProperties: false },
);
export const MultiPolygonGeometry = Type.Object(
  {
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Ring, { maxItems: 1000 }), { maxItems: 1000 }),
    bbox: Bbox,
  },
  { additionalProperties: false },
);
export const AreaGeometry = Type.Union([PolygonGeometry, MultiPolygonGeometry], {
  description: 'GeoJSON (RFC 7946) Polygon or MultiPolygon; rings closed, [longitude, latitude]',
});
export type AreaGeometry = Static<typeof AreaGeometry>;

export const AreaCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    country: Type.String({ minLength: 2, maxLength: 3, description: 'ISO 3166-1 alpha-2 or alpha-3' }),
    geometry: AreaGeometry,
  },
  { additionalProperties: false },
);
export type AreaCreate = Static<typeof AreaCreate>;

export const AreaView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  country: Type.String(),
  geometry: AreaGeometry,
  createdAt: Timestamp,
});
export type AreaView = Static<typeof AreaView>;

export const AreaQuery = Type.Object(
  { country: Type.Optional(Type.String({ minLength: 2, maxLength: 3 })) },
  { additionalProperties: false },
);

export const DeclarationCreate = Type.Object(
  {
    country: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 3,
        description:
          'The host country (ISO 3166-1). Required for a country or an inline area; optional with areaId',
      }),
    ),
    areaId: Type.Optional(Id),
    area: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 200 }), geometry: AreaGeometry },
        { additionalProperties: false, description: 'A new area, saved as a named area of the country' },
      ),
    ),
    level: Type.Integer({ description: 'A level of the active scheme, or 0 to lift' }),
    reason: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'Why; shown to staff only, never on the public page',
    }),
    effectiveAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'Default now; may be in the future' }),
    ),
  },
  { additionalProperties: false },
);
export type DeclarationCreate = Static<typeof DeclarationCreate>;

const LevelSummary = {
  level: Type.Integer(),
  name: LocalizedText,
  colour: Type.String(),
  description: LocalizedText,
  flags: LevelFlags,
  advisory: LocalizedText,
};

export const DeclarationView = Type.Object({
  id: Type.String(),
  scope: StringEnum(['country', 'area'] as const),
  country: Type.String(),
  areaId: NullableString,
  areaName: NullableString,
  level: Type.Integer({ description: '0: lifted' }),
  levelName: Type.Union([LocalizedText, Type.Null()], {
    description: 'In the active scheme; null for a lift',
  }),
  colour: NullableString,
  reason: Type.String(),
  effectiveAt: Timestamp,
  declaredAt: Timestamp,
  declaredBy: Type.String({ description: 'User id' }),
  schemeVersion: Type.Integer(),
});
export type DeclarationView = Static<typeof DeclarationView>;

export const DeclarationCreated = Type.Object({
  declaration: DeclarationView,
  tasksCreated: Type.Integer({ description: 'Checklist tasks created for the posts covering the country' }),
});

export const HistoryQuery = Type.Object(
  {
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 3 })),
    areaId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

const InForce = {
  ...LevelSummary,
  declarationId: Type.String(),
  reason: Type.String(),
  declaredAt: Timestamp,
  declaredBy: Type.String(),
  effectiveAt: Timestamp,
};

export const CountryLevelView = Type.Object({
  country: Type.String(),
  countryName: Type.String(),
  ...InForce,
});
export type CountryLevelView = Static<typeof CountryLevelView>;
export const AreaLevelView = Type.Object({
  areaId: Type.String(),
  areaName: Type.String(),
  country: Type.String(),
  geometry: AreaGeometry,
  ...InForce,
});
export type AreaLevelView = Static<typeof AreaLevelView>;

export const CurrentLevelsView = Type.Object({
  asOf: Timestamp,
  scheme: Type.Object({ id: Type.String(), name: Type.String(), version: Type.Integer() }),
  countries: Type.Array(CountryLevelView),
  areas: Type.Array(AreaLevelView),
  upcoming: Type.Array(DeclarationView, { description: 'Declared, effective later' }),
});
export type CurrentLevelsView = Static<typeof CurrentLevelsView>;

export const PointQuery = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    country: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 3,
        description: 'The country the point is in; without it only areas count',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PointQuery = Static<typeof PointQuery>;

export const PointLevelView = Type.Object({
  level: Type.Integer({ description: '0 when no level is in force there' }),
  name: Type.Union([LocalizedText, Type.Null()]),
  colour: NullableString,
  flags: Type.Union([LevelFlags, Type.Null()]),
  advisory: Type.Union([LocalizedText, Type.Null()]),
  source: Type.Union([
    Type.Object({
      scope: StringEnum(['country', 'area'] as const),
      country: Type.String(),
      areaId: NullableString,
      areaName: NullableString,
      declarationId: Type.String(),
      effectiveAt: Timestamp,
    }),
    Type.Null(),
  ]),
});
export type PointLevelView = Static<typeof PointLevelView>;

export const TASK_STATUSES = ['open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TaskQuery = Type.Object(
  {
    postId: Type.Optional(Id),
    status: Type.Optional(StringEnum(TASK_STATUSES)),
    declarationId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  },
  { additionalProperties: false },
);
export type TaskQuery = Static<typeof TaskQuery>;

export const TaskPatch = Type.Object(
  {
    assigneeUserId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'null unassigns' })),
    status: Type.Optional(StringEnum(TASK_STATUSES)),
  },
  { additionalProperties: false },
);
export type TaskPatch = Static<typeof TaskPatch>;

export const TaskView = Type.Object({
  id: Type.String(),
  declarationId: Type.String(),
  postId: Type.String(),
  country: Type.String(),
  areaId: NullableString,
  level: Type.Integer(),
  checklistItemId: Type.String(),
  title: Type.String(),
  description: NullableString,
  status: StringEnum(TASK_STATUSES),
  assigneeUserId: NullableString,
  doneAt: NullableString,
  doneBy: NullableString,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TaskView = Static<typeof TaskView>;

// What the public may see: the level in force, what it means and what to do, and since when. Reasons,
// who declared it, declarations not yet in force and the posts' checklists stay internal.
const PublicLevel = {
  level: Type.Integer(),
  name: LocalizedText,
  colour: Type.String(),
  description: LocalizedText,
  advisory: LocalizedText,
  flags: LevelFlags,
  effectiveAt: Timestamp,
};

export const PublicLevelsView = Type.Object(
  {
    asOf: Timestamp,
    scheme: Type.Object({ id: Type.String(), name: Type.String() }),
    countries: Type.Array(
      Type.Object({ country: Type.String(), countryName: Type.String(), ...PublicLevel }),
    ),
    areas: Type.Array(
      Type.Object({
        areaName: Type.String(),
        country: Type.String(),
        countryName: Type.String(),
        geometry: AreaGeometry,
        ...PublicLevel,
      }),
    ),
  },
  {
    description:
      'Current alert levels as published: level, name, colour, description, advisory per language, action flags and effective time. ' +
      'Reasons, declaring users, future declarations and post checklists are never published.',
  },
);
export type PublicLevelsView = Static<typeof PublicLevelsView>;
