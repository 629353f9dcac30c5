import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { AGREEMENT_CATEGORIES, ROLES, ROLES_REQUIRING_TOTP } from '../../domain/access/policy.ts';
import { SESSION_COOKIE, sessionCookie, viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { IdParams } from '../registry/persons.schema.ts';
import { createAgreement, endAgreement, listAgreements, toAgreementView } from './agreements.service.ts';
import {
  beginTotpEnrolment,
  changePassword,
  checkTotp,
  createApiToken,
  createUser,
  login,
  logout,
  markSessionMfaPassed,
} from './auth.service.ts';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  422: Problem,
  429: Problem,
};

const SessionState = Type.Object({
  csrfToken: Type.String({
    description: 'Send as X-CSRF-Token with every POST, PATCH and DELETE made with the session cookie',
  }),
  mfaRequired: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  expiresAt: Type.String(),
});
const Me = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  role: Type.String(),
  organizationId: Type.String(),
  jurisdiction: Type.Array(Type.String()),
  mfaPassed: Type.Boolean(),
  mfaRequired: Type.Boolean(),
  totpEnrolled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  csrfToken: Type.Optional(Type.String()),
});
const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  organizationId: Type.String(),
  postId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const AgreementView = Type.Object({
  id: Type.String(),
  partnerOrganizationId: Type.String(),
  purpose: Type.String(),
  categories: Type.Array(Type.String()),
  countries: Type.Array(Type.String()),
  nationalities: Type.Array(Type.String()),
  startsOn: Type.String(),
  endsOn: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

/** Sign-in, second factor, accounts, API tokens and data-sharing agreements. */
export const accessRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database, config }) => {
  const { db } = database;
  const tags = ['access'];

  app.post('/api/auth/login', {
    config: { action: 'public' },
    schema: {
      tags,
      summary: 'Sign in with e-mail and password; sets the session cookie',
      body: Type.Object(
        { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }) },
        { additionalProperties: false },
      ),
      response: { 200: SessionState, ...errors },
    },
    handler: async (req, reply) => {
      const s = await login(
        database,
        { email: req.body.email, password: req.body.password, ip: req.ip },
        config.sessionTtlMinutes,
      );
      reply.header('Set-Cookie', sessionCookie(s.token, config.sessionTtlMinutes * 60, config.cookieSecure));
      return {
        csrfToken: s.csrfToken,
        mfaRequired: s.mfaRequired,
        mustChangePassword: s.mustChangePassword,
        expiresAt: s.expiresAt,
      };
    },
  });

  app.post('/api/auth/logout', {
    config: { action: 'session' },
    schema: { tags, summary: 'End the session', response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      const auth = viewerOf(req);
      if (auth.sessionId) await logout(db, auth.sessionId);
      reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/auth/me', {
    config: { action: 'session' },
    schema: {
      tags,
      summary: 'Who is signed in, and what is still needed (second factor, new password)',
      response: { 200: Me, ...errors },
    },
    handler: async (req) => {
      const a = viewerOf(req);
      const u = await db
        .selectFrom('users')
        .select('totp_enabled')
        .where('id', '=', a.viewer.userId)
        .executeTakeFirstOrThrow();
      return {
        totpEnrolled: u.totp_enabled === 1,
        userId: a.viewer.userId,
        email: a.email,
        role: a.viewer.role,
        organizationId: a.viewer.organizationId,
        jurisdiction: a.viewer.jurisdiction,
        mfaPassed: a.mfaPassed,
        mfaRequired: ROLES_REQUIRING_TOTP.has(a.viewer.role),
        mustChangePassword: a.mustChangePassword,
        ...(a.csrfToken ? { csrfToken: a.csrfToken } : {}),
      };
    },
  });

  app.post('/api/auth/password', {
    config: { action: 'session' },
    schema: {
      tags,
      summary: 'Replace the password (required after a one-time password)',
      body: Type.Object(
        { currentPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (req, reply) => {
      await changePassword(db, viewerOf(req).viewer.userId, req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/auth/totp/enroll', {
    config: { action: 'session' },
    schema: {
      tags,
      summary: 'Start setting up the TOTP second factor',
      response: { 200: Type.Object({ secret: Type.String(), uri: Type.String() }), ...errors },
    },
    handler: async (req) => beginTotpEnrolment(db, viewerOf(req).viewer.userId),
  });

  app.post('/api/auth/totp', {
    config: { action: 'session' },
    schema: {
      tags,
      summary: 'Pass the second factor for this session (also completes enrolment)',
      body: Type.Object(
        { code: Type.String({ minLength: 6, maxLength: 8 }) },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (req, reply) => {
      const a = viewerOf(req);
      await checkTotp(db, a.viewer.userId, req.body.code);
      if (a.sessionId) await markSessionMfaPassed(db, a.sessionId);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/users', {
    config: { action: 'users.manage' },
    schema: {
      tags,
      summary: 'Accounts',
      response: { 200: Type.Object({ items: Type.Array(UserView) }), ...errors },
    },
    handler: async () => {
      const rows = await db
        .selectFrom('users')
        .select(['id', 'email', 'role', 'organization_id', 'post_id', 'created_at'])
        .orderBy('email')
        .limit(1000)
        .execute();
      return {
        items: rows.map((u) => ({
          id: u.id,
          email: u.email,
          role: u.role,
          organizationId: u.organization_id,
          postId: u.post_id,
          createdAt: u.created_at,
        })),
      };
    },
  });

  app.post('/api/users', {
    config: { action: 'users.manage' },
    schema: {
      tags,
      summary: 'Create an account; answers with a one-time password to hand over securely',
      body: Type.Object(
        {
          email: Type.String({ maxLength: 254 }),
          role: StringEnum(ROLES),
          organizationId: Type.String(),
          postId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ user: UserView, oneTimePassword: Type.String() }), ...errors },
    },
    handler: async (req, reply) => {
      const { user, oneTimePassword } = await createUser(db, req.body);
      const actor = viewerOf(req).viewer;
      await recordAudit(db, database.dialect, {
        actorUserId: actor.userId,
        actorRole: actor.role,
        action: 'users.create',
        outcome: 'done',
        personIds: [],
        ip: req.ip,
        details: { userId: user.id, role: user.role },
      });
      return reply.code(201).send({
        user: {
          id: user.id,
          email: user.email,
          role: user.role,
          organizationId: user.organization_id,
          postId: user.post_id,
          createdAt: user.created_at,
        },
        oneTimePassword,
      });
    },
  });

  app.post('/api/tokens', {
    config: { action: 'users.manage' },
    schema: {
      tags,
      summary: 'Create an API token for a partner system, scoped to one account',
      body: Type.Object(
        {
          email: Type.String({ maxLength: 254 }),
          expiresInDays: Type.Integer(),
          label: Type.Optional(Type.String({ maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ token: Type.String(), expiresAt: Type.String() }), ...errors },
    },
    handler: async (req, reply) => {
      const token = await createApiToken(db, req.body);
      const actor = viewerOf(req).viewer;
      await recordAudit(db, database.dialect, {
        actorUserId: actor.userId,
        actorRole: actor.role,
        action: 'tokens.create',
        outcome: 'done',
        personIds: [],
        ip: req.ip,
        details: { expiresAt: token.expiresAt },
      });
      return reply.code(201).send(token);
    },
  });

  app.get('/api/agreements', {
    config: { action: 'agreements.read' },
    schema: {
      tags: ['agreements'],
      response: { 200: Type.Object({ items: Type.Array(AgreementView) }), ...errors },
    },
    handler: async () => ({ items: (await listAgreements(db)).map(toAgreementView) }),
  });

  app.post('/api/agreements', {
    config: { action: 'agreements.manage' },
    schema: {
      tags: ['agreements'],
      summary: 'Record a data-sharing agreement with a partner: purpose, data categories, scope and dates',
      body: Type.Object(
        {
          partnerOrganizationId: Type.String(),
          purpose: Type.String({ maxLength: 500 }),
          categories: Type.Array(StringEnum(AGREEMENT_CATEGORIES), { minItems: 1 }),
          countries: Type.Optional(Type.Array(Type.String({ maxLength: 3 }))),
          nationalities: Type.Optional(Type.Array(Type.String({ maxLength: 3 }))),
          startsOn: Type.String(),
          endsOn: Type.String(),
        },
        { additionalProperties: false },
      ),
      response: { 201: AgreementView, ...errors },
    },
    handler: async (req, reply) => {
      const a = viewerOf(req).viewer;
      return reply
        .code(201)
        .send(await createAgreement(database, { userId: a.userId, role: a.role }, req.body));
    },
  });

  app.post('/api/agreements/:id/end', {
    config: { action: 'agreements.manage' },
    schema: {
      tags: ['agreements'],
      summary: 'End an agreement now; partners lose access on their next request',
      params: IdParams,
      response: { 200: AgreementView, ...errors },
    },
    handler: async (req) => {
      const a = viewerOf(req).viewer;
      return endAgreement(database, { userId: a.userId, role: a.role }, req.params.id);
    },
  });
};
