// The API's shapes, taken from the server's schemas as types only (nothing of the server is bundled),
// so the interface and the API cannot drift apart without the typecheck noticing.
import type { Static } from 'typebox';
import type { OrganizationView as OrganizationSchema } from '../../../src/modules/registry/directory.schema.ts';
import type { PersonView } from '../../../src/modules/registry/persons.schema.ts';

export type { Action, AgreementCategory, Role } from '../../../src/domain/access/policy.ts';
export type {
  DocumentStatus,
  OrganizationType,
  Sex,
  Vulnerability,
} from '../../../src/domain/registry/person.ts';
export type { AgreementInput } from '../../../src/modules/access/agreements.service.ts';
export type {
  HouseholdView,
  OrganizationCreate,
  PostCreate,
  PostView,
} from '../../../src/modules/registry/directory.schema.ts';
export type { PersonSearchBody, PersonView } from '../../../src/modules/registry/persons.schema.ts';
export type OrganizationView = Static<typeof OrganizationSchema>;

/** GET /api/persons and POST /api/persons/search. */
export type PersonPage = { items: PersonView[]; nextCursor: string | null };

/** GET /api/health. */
export type HealthView = {
  status: 'ok' | 'degraded';
  database: { dialect: string; ok: boolean };
  version: string;
  time: string;
};

/** GET /api/reference/countries, one item. */
export type CountryView = { alpha2: string; alpha3: string; numeric: string; name: string; region: string };

/** RFC 9457 problem details as Haven answers them. */
export type ProblemBody = { type?: string; title?: string; status?: number; code?: string; detail?: string };

/** POST /api/auth/login. */
export type SessionState = {
  csrfToken: string;
  mfaRequired: boolean;
  mustChangePassword: boolean;
  expiresAt: string;
};

/** GET /api/auth/me: who is signed in, and what the session still lacks. */
export type MeView = {
  userId: string;
  email: string;
  role: string;
  organizationId: string;
  jurisdiction: string[];
  mfaPassed: boolean;
  mfaRequired: boolean;
  mustChangePassword: boolean;
  csrfToken?: string;
};

/** POST /api/auth/totp/enroll: the new secret, shown once. */
export type TotpEnrolment = { secret: string; uri: string };

/** GET /api/users, one item; POST /api/users answers with one and a one-time password. */
export type UserView = {
  id: string;
  email: string;
  role: string;
  organizationId: string;
  postId: string | null;
  createdAt: string;
};
export type CreatedUser = { user: UserView; oneTimePassword: string };
export type UserCreate = { email: string; role: string; organizationId: string; postId?: string };

/** POST /api/tokens: the token, shown once. */
export type TokenCreate = { email: string; expiresInDays: number; label?: string };
export type CreatedToken = { token: string; expiresAt: string };

/** GET /api/agreements, one item. */
export type AgreementView = {
  id: string;
  partnerOrganizationId: string;
  purpose: string;
  categories: string[];
  countries: string[];
  nationalities: string[];
  startsOn: string;
  endsOn: string;
  endedAt: string | null;
  createdAt: string;
};

/** POST /api/persons/:id/consents. */
export type ConsentChannel = 'in_person' | 'phone' | 'sms' | 'web' | 'paper' | 'email';
export type ConsentStatus = 'granted' | 'withdrawn';
/** `organizationId` names one partner; left out, the consent covers every partner under an agreement. */
export type ConsentCreate = { status: ConsentStatus; channel: ConsentChannel; organizationId?: string };
export type ConsentView = {
  id: string;
  status: string;
  channel: string;
  organizationId: string | null;
  recordedAt: string;
};

/** POST /api/persons/:id/emergency-access. */
export type EmergencyAccessCreate = { reason: string; minutes?: number };
export type EmergencyAccessView = { personId: string; expiresAt: string };

/** GET /api/audit: filters (all optional) and one entry. */
export type AuditQuery = {
  actorUserId?: string;
  personId?: string;
  action?: string;
  from?: string;
  to?: string;
  beforeSeq?: number;
  limit?: number;
};
export type AuditEntry = {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  outcome: string;
  personIds: string[];
  purpose: string | null;
  ip: string | null;
  emergency: boolean;
  details: Record<string, unknown>;
  hash: string;
};

/** GET /api/audit/verify. */
export type ChainCheck = { ok: boolean; entries: number; brokenAt?: number; reason?: string };

/** GET /api/aggregates/registry. */
export type AggregateDimension = 'country' | 'sex' | 'age_band' | 'nationality';
export type AggregateCell = { key: string; count: number | null; suppressed: boolean };
export type AggregateView = {
  by: string;
  total: number | null;
  cells: AggregateCell[];
  erasedIncluded: number;
};
