import { type Static, Type } from 'typebox';
import { DOCUMENT_STATUSES, SEXES, VULNERABILITIES } from '../../domain/registry/person.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';

const Id = Type.String({ pattern: UUID_PATTERN, description: 'Opaque identifier (UUID v7)' });
const NullableString = (opts: Parameters<typeof Type.String>[0] = {}) =>
  Type.Union([Type.String(opts), Type.Null()]);

const ContactIn = Type.Object(
  {
    value: Type.String({ maxLength: 254 }),
    verified: Type.Optional(Type.Boolean({ default: false })),
    consent: Type.Optional(
      Type.Boolean({ default: true, description: 'Consent to be contacted on this channel' }),
    ),
  },
  { additionalProperties: false },
);

const LocationIn = Type.Object(
  {
    lat: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    lon: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    country: Type.Optional(NullableString({ description: 'ISO 3166-1 alpha-2 or alpha-3' })),
    address: Type.Optional(NullableString()),
  },
  { additionalProperties: false },
);

const personFields = {
  externalRef: Type.Optional(
    NullableString({ description: 'Reference in another system; re-imports match on it' }),
  ),
  givenNames: Type.String({ description: 'Given names, in any script' }),
  familyName: Type.Optional(NullableString()),
  sex: Type.Optional(Type.String({ description: SEXES.join(' | ') })),
  birthDate: Type.Optional(NullableString({ description: 'YYYY-MM-DD' })),
  birthYear: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  nationality: Type.Optional(NullableString()),
  languages: Type.Optional(
    Type.Array(Type.String(), { maxItems: 20, description: 'BCP 47 tags, most preferred first' }),
  ),
  phones: Type.Optional(Type.Array(ContactIn, { maxItems: 20 })),
  emails: Type.Optional(Type.Array(ContactIn, { maxItems: 20 })),
  location: Type.Optional(Type.Union([LocationIn, Type.Null()])),
  householdId: Type.Optional(Type.Union([Id, Type.Null()])),
  householdRole: Type.Optional(NullableString({ description: 'head | member' })),
  employerId: Type.Optional(Type.Union([Id, Type.Null()])),
  vulnerabilities: Type.Optional(
    Type.Array(Type.String(), { maxItems: 20, description: VULNERABILITIES.join(' | ') }),
  ),
  documentStatus: Type.Optional(NullableString({ description: DOCUMENT_STATUSES.join(' | ') })),
};

export const PersonCreate = Type.Object(personFields, { additionalProperties: false });
export type PersonCreate = Static<typeof PersonCreate>;

export const PersonPatch = Type.Partial(Type.Object(personFields), { additionalProperties: false });
export type PersonPatch = Static<typeof PersonPatch>;

const ContactOut = Type.Object({ value: Type.String(), verified: Type.Boolean(), consent: Type.Boolean() });

// Fields beyond identity are present only when the viewer may see their category (see domain/access/policy).
export const PersonView = Type.Object({
  id: Type.String(),
  visibleCategories: Type.Array(Type.String(), { description: 'Field categories this viewer may see' }),
  emergencyAccess: Type.Boolean({ description: 'Seen under a life-saving emergency override' }),
  externalRef: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  givenNames: Type.String(),
  familyName: Type.Union([Type.String(), Type.Null()]),
  sex: Type.Optional(Type.String()),
  birthDate: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  birthYear: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  nationality: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  languages: Type.Optional(Type.Array(Type.String())),
  phones: Type.Optional(Type.Array(ContactOut)),
  emails: Type.Optional(Type.Array(ContactOut)),
  location: Type.Optional(
    Type.Object({
      lat: Type.Union([Type.Number(), Type.Null()]),
      lon: Type.Union([Type.Number(), Type.Null()]),
      country: Type.Union([Type.String(), Type.Null()]),
      address: Type.Union([Type.String(), Type.Null()]),
      h3Cell: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  householdId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  householdRole: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  employerId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  vulnerabilities: Type.Optional(Type.Array(Type.String())),
  documentStatus: Type.Optional(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type PersonView = Static<typeof PersonView>;

export const PersonSearchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    country: Type.Optional(Type.String({ maxLength: 3 })),
    area: Type.Optional(
      Type.String({ maxLength: 16, description: 'H3 cell (resolution 0-9): people inside it' }),
    ),
    bbox: Type.Optional(Type.String({ maxLength: 100, description: 'minLon,minLat,maxLon,maxLat' })),
    householdId: Type.Optional(Id),
    employerId: Type.Optional(Id),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type PersonSearchBody = Static<typeof PersonSearchBody>;

// GET takes only filters that carry no personal data, so none ends up in URLs or access logs.
export const PersonListQuery = Type.Omit(PersonSearchBody, ['name', 'phone']);
export type PersonListQuery = Static<typeof PersonListQuery>;

export const PersonPage = Type.Object({
  items: Type.Array(PersonView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;
