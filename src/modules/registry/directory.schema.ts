import { type Static, Type } from 'typebox';
import { HOUSEHOLD_KINDS, ORGANIZATION_TYPES, POST_KINDS } from '../../domain/registry/person.ts';
import { StringEnum } from '../../http/schema-helpers.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const OrganizationCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: StringEnum(ORGANIZATION_TYPES),
    country: Type.Optional(Nullable(Type.String({ maxLength: 3 }))),
  },
  { additionalProperties: false },
);
export type OrganizationCreate = Static<typeof OrganizationCreate>;
export const OrganizationView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  country: Nullable(Type.String()),
  createdAt: Type.String(),
});
export const OrganizationQuery = Type.Object(
  { type: Type.Optional(StringEnum(ORGANIZATION_TYPES)) },
  { additionalProperties: false },
);

export const PostCreate = Type.Object(
  {
    organizationId: Type.String(),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: StringEnum(POST_KINDS),
    country: Type.String({ maxLength: 3 }),
    city: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    lon: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    jurisdiction: Type.Array(Type.String({ maxLength: 3 }), {
      minItems: 1,
      maxItems: 100,
      description: 'Countries the post covers',
    }),
  },
  { additionalProperties: false },
);
export type PostCreate = Static<typeof PostCreate>;
export const PostView = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  country: Type.String(),
  city: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  address: Nullable(Type.String()),
  jurisdiction: Type.Array(Type.String()),
});
export type PostView = Static<typeof PostView>;

export const HouseholdCreate = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Optional(StringEnum(HOUSEHOLD_KINDS)),
    externalRef: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false },
);
export type HouseholdCreate = Static<typeof HouseholdCreate>;
export const HouseholdView = Type.Object({
  id: Type.String(),
  label: Type.String(),
  kind: Type.String(),
  externalRef: Nullable(Type.String()),
  memberCount: Type.Integer(),
  createdAt: Type.String(),
});
export type HouseholdView = Static<typeof HouseholdView>;
