import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { Problem } from '../../http/problem.ts';
import { RateLimiter } from '../../http/rate-limit.ts';
import { currentDeliverySettings } from '../delivery/delivery.settings.ts';
import {
  AlertsQuery,
  CreatedHelpRequestView,
  HelpRequestBody,
  MeView,
  MigrantSessionView,
  MyAlertView,
  MyContactsView,
  MyHelpRequestView,
  PushSubscriptionBody,
  PushUnsubscribeBody,
  ResponseBody,
  ResponseView,
  SignInAnswer,
  SignInBody,
  VerifyBody,
} from './me.schema.ts';
import {
  askForHelp,
  listMyAlerts,
  listMyHelpRequests,
  myEmbassyContacts,
  readMyProfile,
  respond,
  subscribeToPush,
  unsubscribeFromPush,
} from './me.service.ts';
import { migrantOf } from './migrant-auth.ts';
import {
  clearedMigrantCookie,
  closeMigrantSession,
  MIGRANT_SESSION_DAYS,
  migrantCookie,
} from './migrant-session.ts';
import { requestSignInCode, verifySignInCode } from './sign-in.service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem };

/** Code checks allowed per client address and minute, on top of the limits each code carries. */
const VERIFY_PER_MINUTE = 30;

function webOtpHost(): string | null {
  try {
    return new URL(currentDeliverySettings().publicUrl).host;
  } catch {
    return null;
  }
}

/**
 * The migrant app's API: sign-in by one-time code, then the person's own alerts, answers, help requests,
 * embassy contacts and push subscription. Every route acts on the signed-in person's record only.
 */
export const migrantRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database, config }) => {
  const tags = ['migrant app'];
  const verifyLimiter = new RateLimiter(VERIFY_PER_MINUTE, 60_000);
  const ctx = (req: Parameters<typeof migrantOf>[0]) => ({ personId: migrantOf(req).personId, ip: req.ip });

  app.post('/api/me/sign-in', {
    config: { action: 'public' },
    schema: {
      tags,
      summary: 'Ask for a 6-digit sign-in code, sent to a registered phone (SMS) or e-mail address',
      description:
        'The answer is the same whether or not the contact is registered. Codes expire after 10 minutes; a contact gets at most 3 codes in 15 minutes and 10 a day.',
      body: SignInBody,
      response: { 202: SignInAnswer, ...errors },
    },
    handler: async (req, reply) => {
      const outcome = await requestSignInCode(
        database,
        { contact: req.body.contact, language: req.body.language ?? null, ip: req.ip },
        { webOtpHost: webOtpHost() },
      );
      if ('retryAfterSeconds' in outcome) {
        reply.header('Retry-After', String(outcome.retryAfterSeconds));
        throw new AppError(
          'me.sign_in_rate_limited',
          `Too many codes asked for; try again in ${outcome.retryAfterSeconds} s`,
          429,
          { retryAfterSeconds: outcome.retryAfterSeconds },
        );
      }
      return reply.code(202).send(outcome);
    },
  });

  app.post('/api/me/verify', {
    config: { action: 'public' },
    schema: {
      tags,
      summary: 'Sign in with the code; sets the migrant app session cookie',
      body: VerifyBody,
      response: { 200: MigrantSessionView, ...errors },
    },
    handler: async (req, reply) => {
      const wait = verifyLimiter.hit(req.ip);
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        throw new AppError('me.verify_rate_limited', `Too many tries; try again in ${wait} s`, 429, {
          retryAfterSeconds: wait,
        });
      }
      const { session } = await verifySignInCode(database, {
        contact: req.body.contact,
        code: req.body.code,
        ip: req.ip,
      });
      reply.header(
        'Set-Cookie',
        migrantCookie(session.token, MIGRANT_SESSION_DAYS * 86_400, config.cookieSecure),
      );
      return { csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  });

  app.post('/api/me/sign-out', {
    config: { action: 'self.manage' },
    schema: { tags, summary: 'End the migrant app session', response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      await closeMigrantSession(database.db, migrantOf(req).sessionId);
      reply.header('Set-Cookie', clearedMigrantCookie(config.cookieSecure));
      return reply.code(204).send(null);
    },
  });

  app.get('/api/me', {
    config: { action: 'self.read' },
    schema: {
      tags,
      summary: 'Who is signed in: name, languages, country',
      response: { 200: MeView, ...errors },
    },
    handler: async (req) => {
      const profile = await readMyProfile(database, ctx(req));
      return {
        ...profile,
        csrfToken: migrantOf(req).csrfToken,
        pushPublicKey: currentDeliverySettings().push?.vapid.publicKey ?? null,
      };
    },
  });

  app.get('/api/me/alerts', {
    config: { action: 'self.read' },
    schema: {
      tags,
      summary: 'Alerts sent to me, newest first, in my language (lang: the language the app is shown in)',
      querystring: AlertsQuery,
      response: { 200: Type.Object({ items: Type.Array(MyAlertView) }), ...errors },
    },
    handler: async (req) => ({
      items: await listMyAlerts(database, ctx(req), {
        language: req.query.lang ?? null,
        fallbackLanguages: config.alerts.fallbackLanguages,
      }),
    }),
  });

  app.post('/api/me/responses', {
    config: { action: 'self.respond' },
    schema: {
      tags,
      summary: 'Answer "I am safe" or "I need help" (to the alert named, else to the latest one sent to me)',
      body: ResponseBody,
      response: { 201: ResponseView, ...errors },
    },
    handler: async (req, reply) => {
      const recorded = await respond(database, ctx(req), {
        alertId: req.body.alertId ?? null,
        answer: req.body.answer,
        language: req.body.language ?? null,
      });
      return reply.code(201).send(recorded);
    },
  });

  app.post('/api/me/help-requests', {
    config: { action: 'self.help' },
    schema: {
      tags,
      summary: 'Ask for help, or press SOS (with my location when the phone gives it)',
      body: HelpRequestBody,
      response: { 201: CreatedHelpRequestView, ...errors },
    },
    handler: async (req, reply) => {
      const created = await askForHelp(database, ctx(req), {
        type: req.body.type,
        isSos: req.body.isSos,
        location: req.body.location ?? null,
        text: req.body.text ?? null,
      });
      return reply.code(201).send(created);
    },
  });

  app.get('/api/me/help-requests', {
    config: { action: 'self.read' },
    schema: {
      tags,
      summary: 'My help requests, newest first',
      response: { 200: Type.Object({ items: Type.Array(MyHelpRequestView) }), ...errors },
    },
    handler: async (req) => ({ items: await listMyHelpRequests(database, ctx(req)) }),
  });

  app.get('/api/me/contacts', {
    config: { action: 'self.read' },
    schema: {
      tags,
      summary: 'Embassies and consulates covering the country I am in',
      response: { 200: MyContactsView, ...errors },
    },
    handler: async (req) => myEmbassyContacts(database, ctx(req)),
  });

  app.post('/api/me/push-subscription', {
    config: { action: 'self.manage' },
    schema: {
      tags,
      summary: "Register this browser's Web Push subscription for alerts",
      body: PushSubscriptionBody,
      response: { 201: Type.Object({ id: Type.String() }), ...errors },
    },
    handler: async (req, reply) => {
      const saved = await subscribeToPush(database, ctx(req), req.body);
      return reply.code(201).send({ id: saved.id });
    },
  });

  app.delete('/api/me/push-subscription', {
    config: { action: 'self.manage' },
    schema: {
      tags,
      summary: "Remove this browser's Web Push subscription",
      body: PushUnsubscribeBody,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (req, reply) => {
      const removed = await unsubscribeFromPush(database, ctx(req), req.body.endpoint);
      if (!removed)
        throw new AppError('me.push_subscription_not_found', 'This browser has no push subscription', 404);
      return reply.code(204).send(null);
    },
  });
};
