// The API's shapes, taken from the server's schemas as types only (nothing of the server is bundled),
// so the interface and the API cannot drift apart without the typecheck noticing.
import type { Static } from 'typebox';
import type { OrganizationView as OrganizationSchema } from '../../../src/modules/registry/directory.schema.ts';
import type { PersonView } from '../../../src/modules/registry/persons.schema.ts';

export type { Role } from '../../../src/domain/access/policy.ts';
export type { DocumentStatus, Sex, Vulnerability } from '../../../src/domain/registry/person.ts';
export type { HouseholdView, PostView } from '../../../src/modules/registry/directory.schema.ts';
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
