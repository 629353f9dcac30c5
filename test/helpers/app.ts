import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/access/policy.ts';
import { createApiToken, createUser } from '../../src/modules/access/auth.service.ts';
import { createOrganization, createPost } from '../../src/modules/registry/directory.service.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';

/** Organisations, posts and one account per role that every API test can lean on. */
export type Fixtures = {
  originOrgId: string;
  partnerOrgId: string;
  employerOrgId: string;
  hostOrgId: string;
  /** A post whose jurisdiction is the United Arab Emirates. */
  postAeId: string;
  /** A post whose jurisdiction is Hong Kong. */
  postHkId: string;
  users: Record<Role, { id: string; email: string; token: string }>;
};

export type TestApp = {
  /** The app; its inject() signs in as hq_admin unless the request carries its own credentials. */
  app: FastifyInstance;
  /** A request with no credentials at all. */
  anonymous: (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  /** Headers that sign a request in with the API token of the given role's test account. */
  as: (role: Role) => { authorization: string };
  fixtures: Fixtures;
  database: TestDatabase;
  close: () => Promise<void>;
};

async function createFixtures(database: TestDatabase): Promise<Fixtures> {
  const { db } = database;
  const origin = await createOrganization(db, {
    name: 'Ministry of Foreign Affairs (test)',
    type: 'origin_state',
    country: 'PH',
  });
  const partner = await createOrganization(db, {
    name: 'Migration Agency (test)',
    type: 'international_org',
  });
  const employer = await createOrganization(db, {
    name: 'Gulf Facilities (test)',
    type: 'employer',
    country: 'AE',
  });
  const host = await createOrganization(db, {
    name: 'Host Civil Defence (test)',
    type: 'host_state',
    country: 'AE',
  });
  const postAe = await createPost(db, {
    organizationId: origin.id,
    name: 'Embassy (test)',
    kind: 'embassy',
    country: 'AE',
    jurisdiction: ['AE'],
  });
  const postHk = await createPost(db, {
    organizationId: origin.id,
    name: 'Consulate (test)',
    kind: 'consulate',
    country: 'HK',
    jurisdiction: ['HK'],
  });
  const orgOf: Record<Role, string> = {
    hq_admin: origin.id,
    crisis_manager: origin.id,
    consular_officer: origin.id,
    partner_caseworker: partner.id,
    employer_liaison: employer.id,
    host_authority: host.id,
    analyst: origin.id,
    auditor: origin.id,
  };
  const users = {} as Fixtures['users'];
  for (const role of Object.keys(orgOf) as Role[]) {
    const email = `${role.replace('_', '.')}@test.example.org`;
    const { user } = await createUser(db, {
      email,
      role,
      organizationId: orgOf[role],
      postId: role === 'consular_officer' ? postAe.id : null,
    });
    const { token } = await createApiToken(db, { email, expiresInDays: 1 });
    users[role] = { id: user.id, email, token };
  }
  return {
    originOrgId: origin.id,
    partnerOrgId: partner.id,
    employerOrgId: employer.id,
    hostOrgId: host.id,
    postAeId: postAe.id,
    postHkId: postHk.id,
    users,
  };
}

/** The real app on a private test database with fixtures, driven with inject (no socket). */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent', ...env }),
    database: database.config,
    masterKey: { kind: 'env' as const, value: Buffer.alloc(32) },
  };
  const fixtures = await createFixtures(database);
  const app = await buildApp({ config, database });
  await app.ready();
  const rawInject = app.inject.bind(app) as (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  const admin = `Bearer ${fixtures.users.hq_admin.token}`;
  const signedIn = (opts: InjectOptions | string) => {
    const o: InjectOptions = typeof opts === 'string' ? { url: opts } : opts;
    const headers = { ...(o.headers ?? {}) } as Record<string, string>;
    if (!('authorization' in headers) && !('cookie' in headers)) headers.authorization = admin;
    return rawInject({ ...o, headers });
  };
  (app as unknown as { inject: typeof signedIn }).inject = signedIn;
  return {
    app,
    anonymous: (opts) => rawInject(opts),
    as: (role) => ({ authorization: `Bearer ${fixtures.users[role].token}` }),
    fixtures,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
