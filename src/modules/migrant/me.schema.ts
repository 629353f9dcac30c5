import { type Static, Type } from 'typebox';
import { HELP_REQUEST_TYPES } from '../../domain/triage/triage-rules.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import { PostView } from '../registry/directory.schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const LanguageTag = Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$', maxLength: 35 });

export const SignInBody = Type.Object(
  {
    contact: Type.String({
      minLength: 1,
      maxLength: 254,
      description: 'A phone number in international format (+…) or an e-mail address, as registered',
    }),
    language: Type.Optional(LanguageTag),
  },
  { additionalProperties: false },
);

export const SignInAnswer = Type.Object({
  sent: Type.Boolean({
    description: 'Always true: the answer does not say whether the contact is registered',
  }),
  expiresInSeconds: Type.Integer(),
});

export const VerifyBody = Type.Object(
  {
    contact: Type.String({ minLength: 1, maxLength: 254 }),
    code: Type.String({ minLength: 1, maxLength: 12 }),
  },
  { additionalProperties: false },
);

export const MigrantSessionView = Type.Object({
  csrfToken: Type.String({
    description: 'Send as X-CSRF-Token with every POST and DELETE made with the migrant session cookie',
  }),
  expiresAt: Type.String(),
});

export const MeView = Type.Object({
  givenNames: Type.String(),
  familyName: Nullable(Type.String()),
  country: Nullable(Type.String()),
  languages: Type.Array(Type.String()),
  csrfToken: Type.String(),
  pushPublicKey: Nullable(Type.String({ description: 'VAPID public key; null when Web Push is off' })),
});

export const AlertsQuery = Type.Object({ lang: Type.Optional(LanguageTag) }, { additionalProperties: false });

export const MyAlertView = Type.Object({
  id: Type.String(),
  drill: Type.Boolean(),
  msgType: Type.String(),
  level: Nullable(Type.Integer()),
  event: Type.String(),
  severity: Type.String(),
  urgency: Type.String(),
  issuedAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  closed: Type.Boolean({ description: 'Updated or cancelled since' }),
  askResponse: Type.Boolean(),
  language: Type.String(),
  headline: Type.String(),
  description: Nullable(Type.String()),
  instruction: Nullable(Type.String()),
  myAnswer: Nullable(StringEnum(['safe', 'need_help'] as const)),
  answeredAt: Nullable(Type.String()),
});

export const ResponseBody = Type.Object(
  {
    alertId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    answer: StringEnum(['safe', 'need_help'] as const),
    language: Type.Optional(LanguageTag),
  },
  { additionalProperties: false },
);

export const ResponseView = Type.Object({
  id: Type.String(),
  alertId: Nullable(Type.String()),
  answer: Type.String(),
  receivedAt: Type.String(),
});

export const HelpRequestBody = Type.Object(
  {
    type: StringEnum(HELP_REQUEST_TYPES),
    isSos: Type.Boolean(),
    location: Type.Optional(
      Nullable(
        Type.Object(
          {
            lat: Type.Number({ minimum: -90, maximum: 90 }),
            lng: Type.Number({ minimum: -180, maximum: 180 }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    text: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type HelpRequestBody = Static<typeof HelpRequestBody>;

export const CreatedHelpRequestView = Type.Object({
  id: Type.String(),
  priority: Type.String(),
  slaDueAt: Type.String(),
});

export const MyHelpRequestView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  isSos: Type.Boolean(),
  status: Type.String(),
  priority: Type.String(),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
});

export const MyContactsView = Type.Object({
  country: Nullable(Type.String()),
  covering: Type.Boolean({ description: 'Whether the posts listed cover the country the person is in' }),
  items: Type.Array(PostView),
});

export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ format: 'uri', pattern: '^https://', maxLength: 2048 }),
    keys: Type.Object(
      {
        p256dh: Type.String({ minLength: 1, maxLength: 200 }),
        auth: Type.String({ minLength: 1, maxLength: 100 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const PushUnsubscribeBody = Type.Object(
  { endpoint: Type.String({ minLength: 1, maxLength: 2048 }) },
  { additionalProperties: false },
);
