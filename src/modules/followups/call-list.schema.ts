import { type Static, Type } from 'typebox';
import { CALL_OUTCOMES } from '../../domain/followups/follow-up-rules.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';

export const CallListQuery = Type.Object(
  {
    alert: Type.Optional(Type.String({ pattern: UUID_PATTERN, description: 'Entries of this alert only' })),
    post: Type.Optional(
      Type.String({ pattern: UUID_PATTERN, description: "People in this post's jurisdiction only" }),
    ),
    status: Type.Optional(StringEnum(['open', 'closed'] as const, { description: 'Default: open' })),
    cursor: Type.Optional(Type.String({ pattern: UUID_PATTERN, description: 'nextCursor of the last page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type CallListQuery = Static<typeof CallListQuery>;

export const CallListEntryView = Type.Object({
  id: Type.String(),
  alertId: Type.String(),
  alertEvent: Type.String(),
  drill: Type.Boolean({ description: 'The alert is an Exercise' }),
  personId: Type.String(),
  name: Type.String(),
  phones: Type.Array(Type.String(), { description: 'Consented phone numbers, in the order the person gave' }),
  country: Type.Union([Type.String(), Type.Null()]),
  status: StringEnum(['open', 'closed'] as const),
  outcome: Type.Union([Type.String(), Type.Null()], {
    description:
      'The last call (reached_safe, reached_need_help, no_answer, wrong_number), or answered / help_requested',
  }),
  attempts: Type.Integer({ minimum: 0 }),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
});
export type CallListEntryView = Static<typeof CallListEntryView>;

export const CallListPage = Type.Object({
  items: Type.Array(CallListEntryView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type CallListPage = Static<typeof CallListPage>;

export const CallOutcomeBody = Type.Object(
  { outcome: StringEnum(CALL_OUTCOMES) },
  { additionalProperties: false },
);
export type CallOutcomeBody = Static<typeof CallOutcomeBody>;

export const CallOutcomeView = Type.Object({
  id: Type.String(),
  status: StringEnum(['open', 'closed'] as const),
  outcome: Type.String(),
  attempts: Type.Integer({ minimum: 0 }),
  lastAttemptAt: Type.String(),
  responseId: Type.Union([Type.String(), Type.Null()], {
    description: 'The answer recorded for a reached person (channel officer)',
  }),
});
export type CallOutcomeView = Static<typeof CallOutcomeView>;
