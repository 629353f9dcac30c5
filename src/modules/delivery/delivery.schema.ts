import { type Static, Type } from 'typebox';

const Counts = {
  queued: Type.Integer({ minimum: 0 }),
  sending: Type.Integer({ minimum: 0 }),
  sent: Type.Integer({ minimum: 0 }),
  delivered: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  dead: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 0 }),
};

export const DeliveryStatusView = Type.Object({
  alertId: Type.String(),
  fanout: Type.Object({
    state: Type.Union([
      Type.Literal('none'),
      Type.Literal('pending'),
      Type.Literal('running'),
      Type.Literal('done'),
    ]),
    recipients: Type.Integer({ minimum: 0, description: 'Recipients whose deliveries are written so far' }),
    written: Type.Integer({ minimum: 0 }),
    unreachable: Type.Integer({
      minimum: 0,
      description: 'Recipients with no consented contact on any channel',
    }),
  }),
  channels: Type.Array(Type.Object({ channel: Type.String(), ...Counts })),
  totals: Type.Object(Counts),
  problems: Type.Array(
    Type.Object({
      channel: Type.String(),
      state: Type.Union([Type.Literal('failed'), Type.Literal('dead')]),
      code: Type.String(),
      count: Type.Integer({ minimum: 0 }),
    }),
    { description: 'Failed and dead deliveries by channel and reason code' },
  ),
  settled: Type.Boolean({ description: 'The fan-out is done and nothing is queued or being sent' }),
});
export type DeliveryStatusView = Static<typeof DeliveryStatusView>;

export const PersonDeliveriesView = Type.Object({
  personId: Type.String(),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('alert'), Type.Literal('direct_message')], {
        description: 'An alert, or a direct message (a sign-in code, a boarding pass, a note)',
      }),
      alertId: Type.Union([Type.String(), Type.Null()]),
      alertIdentifier: Type.Union([Type.String(), Type.Null()]),
      drill: Type.Boolean(),
      event: Type.Union([Type.String(), Type.Null()]),
      purpose: Type.Union([Type.String(), Type.Null()], {
        description: "A direct message's purpose: sign_in_code, boarding_pass or notice",
      }),
      channel: Type.String(),
      state: Type.Union([
        Type.Literal('queued'),
        Type.Literal('sending'),
        Type.Literal('sent'),
        Type.Literal('delivered'),
        Type.Literal('failed'),
        Type.Literal('dead'),
      ]),
      attempts: Type.Integer({ minimum: 0 }),
      code: Type.Union([Type.String(), Type.Null()]),
      fallbackFrom: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
      sentAt: Type.Union([Type.String(), Type.Null()]),
      doneAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type PersonDeliveriesView = Static<typeof PersonDeliveriesView>;

export const ReceiptAnswer = Type.Object({
  result: Type.Union([
    Type.Literal('applied'),
    Type.Literal('duplicate'),
    Type.Literal('ignored'),
    Type.Literal('held'),
  ]),
  state: Type.Optional(Type.String({ description: "The delivery's state after the receipt" })),
  status: Type.Optional(Type.String({ description: "An ignored receipt's status (not final)" })),
  code: Type.Optional(
    Type.String({ description: 'receipt.unknown_message when no sent message carries the id yet' }),
  ),
});
export type ReceiptAnswer = Static<typeof ReceiptAnswer>;
