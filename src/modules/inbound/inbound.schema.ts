import { type Static, Type } from 'typebox';
import { INBOUND_OUTCOMES } from '../../domain/keywords/inbound-outcome.ts';
import { StringEnum } from '../../http/schema-helpers.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const InboundAccepted = Type.Object({
  id: Type.String(),
  outcome: StringEnum(INBOUND_OUTCOMES),
  duplicate: Type.Boolean(),
});

export const InboundListQuery = Type.Object(
  {
    outcome: Type.Optional(StringEnum(INBOUND_OUTCOMES, { description: 'Default inbound.unrecognised' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type InboundListQuery = Static<typeof InboundListQuery>;

export const InboundMessageView = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  receivedAt: Type.String(),
  sender: Type.String(),
  recipient: Nullable(Type.String()),
  text: Type.String(),
  intent: Type.String(),
  language: Nullable(Type.String()),
  outcome: StringEnum(INBOUND_OUTCOMES),
  personId: Nullable(Type.String()),
  alertId: Nullable(Type.String()),
  responseId: Nullable(Type.String()),
  helpRequestId: Nullable(Type.String()),
});
export type InboundMessageView = Static<typeof InboundMessageView>;

export const InboundPage = Type.Object({
  items: Type.Array(InboundMessageView),
  nextCursor: Nullable(Type.String()),
});
