import { type Static, Type } from 'typebox';
import { StringEnum } from '../../http/schema-helpers.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';

const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
  description: 'null: hidden, too few people to show to your role',
});
const Counts = {
  targeted: Count,
  reached: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'At least one delivery sent or delivered',
  }),
  safe: Count,
  needHelp: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Latest answer "need help", or a help request not closed',
  }),
  noAnswer: Count,
};
const Group = Type.Object({ key: Type.String(), ...Counts });

export const BoardSubject = Type.Object({
  kind: StringEnum(['alert', 'incident'] as const),
  id: Type.String(),
  event: Type.String(),
  headline: Type.Union([Type.String(), Type.Null()]),
  drill: Type.Boolean({ description: 'Every alert of the board is an Exercise' }),
  issuedAt: Type.String({ description: 'When the (first) alert was issued' }),
  alertIds: Type.Array(Type.String()),
});
export type BoardSubject = Static<typeof BoardSubject>;

export const BoardView = Type.Object({
  subject: BoardSubject,
  audience: StringEnum(['people', 'aggregates'] as const, {
    description: 'people: exact figures; aggregates: small cells hidden',
  }),
  threshold: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Counts under this are hidden (aggregates audience only)',
  }),
  countries: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'The countries counted (a consular officer: the jurisdiction); null: all',
  }),
  totals: Type.Object(Counts),
  breakdowns: Type.Object({
    country: Type.Array(Group),
    area: Type.Array(Group, { description: 'H3 cells (resolution 5) around the people' }),
    sex: Type.Array(Group),
    ageBand: Type.Array(Group),
    vulnerability: Type.Array(Group, {
      description:
        'A person with several vulnerabilities counts in each; "none" for none. Empty for the aggregates audience.',
    }),
  }),
  followUps: Type.Union(
    [
      Type.Object({
        queued: Type.Integer({ minimum: 0 }),
        noOtherChannel: Type.Integer({ minimum: 0 }),
        unreachable: Type.Integer({ minimum: 0 }),
        callListOpen: Type.Integer({ minimum: 0 }),
        callListClosed: Type.Integer({ minimum: 0 }),
      }),
      Type.Null(),
    ],
    { description: 'Follow-up work so far (people audience only)' },
  ),
  generatedAt: Type.String(),
});
export type BoardView = Static<typeof BoardView>;

export const TimelineView = Type.Object({
  subject: BoardSubject,
  bucketMinutes: Type.Integer({ minimum: 1 }),
  points: Type.Array(
    Type.Object({
      at: Type.String({ description: 'Start of the bucket' }),
      safe: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
      needHelp: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    }),
  ),
});
export type TimelineView = Static<typeof TimelineView>;

export const UnaccountedQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ pattern: UUID_PATTERN, description: 'nextCursor of the last page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type UnaccountedQuery = Static<typeof UnaccountedQuery>;

export const UnaccountedPage = Type.Object({
  items: Type.Array(
    Type.Object({
      personId: Type.String(),
      name: Type.String(),
      country: Type.Union([Type.String(), Type.Null()]),
      reached: Type.Boolean(),
      onCallList: Type.Boolean(),
      deliveries: Type.Array(Type.Object({ channel: Type.String(), state: Type.String() })),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type UnaccountedPage = Static<typeof UnaccountedPage>;

export const BoardSubjectsView = Type.Object({
  alerts: Type.Array(
    Type.Object({
      id: Type.String(),
      event: Type.String(),
      headline: Type.Union([Type.String(), Type.Null()]),
      drill: Type.Boolean(),
      state: Type.String(),
      issuedAt: Type.String(),
      incidentId: Type.Union([Type.String(), Type.Null()]),
      recipients: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
  incidents: Type.Array(
    Type.Object({
      id: Type.String(),
      event: Type.String(),
      alerts: Type.Integer({ minimum: 1 }),
      firstIssuedAt: Type.String(),
    }),
  ),
});
export type BoardSubjectsView = Static<typeof BoardSubjectsView>;
