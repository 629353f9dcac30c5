import { type Static, Type } from 'typebox';
import { StringEnum } from '../../http/schema-helpers.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import { ANSWERS } from './responses.service.ts';

const Id = Type.String({ pattern: UUID_PATTERN, description: 'Opaque identifier (UUID v7)' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const PersonIdParams = Type.Object({ id: Id });
export type PersonIdParams = Static<typeof PersonIdParams>;

export const OfficerAnswerBody = Type.Object(
  {
    answer: StringEnum(ANSWERS),
    alertId: Type.Optional(
      Type.Union([Id, Type.Null()], {
        description:
          'The alert answered. Omitted: the latest alert sent to the person; null: an answer to no alert.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OfficerAnswerBody = Static<typeof OfficerAnswerBody>;

export const ResponseView = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  alertId: Nullable(Type.String()),
  answer: StringEnum(ANSWERS),
  channel: StringEnum(['link', 'sms', 'web', 'officer'] as const),
  language: Nullable(Type.String()),
  recordedBy: Nullable(Type.String()),
  receivedAt: Type.String(),
});
export type ResponseView = Static<typeof ResponseView>;

export const RecordedAnswer = Type.Object({
  response: ResponseView,
  helpRequestId: Nullable(Type.String({ description: 'The help request a "need help" answer opened' })),
});

export const ResponseHistory = Type.Object({ items: Type.Array(ResponseView) });
