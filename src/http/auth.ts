import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { ACTIONS, type Action, isSelfAction, roleMayAct } from '../domain/access/policy.ts';
import { type Authenticated, authenticate, sameSecret } from '../modules/access/auth.service.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import { authorizeSelfRequest, refuseMigrantOnStaffRoute } from '../modules/migrant/migrant-auth.ts';
import { sendProblem } from './problem.ts';
import { addRouteHook } from './rate-limit.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action this route performs; every /api route must declare one. */
    action?: Action;
  }
  interface FastifyRequest {
    auth?: Authenticated;
  }
  interface FastifyInstance {
    /** /api routes that declared no action: refused at run time, and the authorization test fails on them. */
    routesWithoutPolicy: string[];
  }
}

export const SESSION_COOKIE = 'haven_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** The authenticated viewer of a request whose route required one. */
export function viewerOf(req: FastifyRequest): Authenticated {
  if (!req.auth) throw new Error('route reached without authentication');
  return req.auth;
}

/**
 * Authentication and route-level authorization for every request, in one hook: credentials from a
 * bearer token or the session cookie, the second factor, CSRF for cookie sessions, then the role's
 * right to the route's action. Record-level decisions happen in the services, through the policy.
 */
export function registerAuth(app: FastifyInstance, database: Database): void {
  app.decorate('routesWithoutPolicy', [] as string[]);
  // The checks are attached to each /api route as it is registered (see addRouteHook): its action is
  // known then, and routes outside the API (reply links, the web app) carry no hook at all.
  app.addHook('onRoute', (route) => {
    const action = (route.config as { action?: Action } | undefined)?.action;
    if (action && !(ACTIONS as readonly string[]).includes(action))
      throw new Error(`route ${route.url} names unknown action ${action}`);
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!action) {
      for (const m of [route.method].flat())
        if (m !== 'HEAD') app.routesWithoutPolicy.push(`${m} ${route.url}`);
      addRouteHook(route, 'onRequest', async (_req: FastifyRequest, reply: FastifyReply) =>
        sendProblem(reply, 403, 'access.no_policy', 'This route has no access policy and is refused'),
      );
      return;
    }
    if (action === 'public') return;
    const url = route.url;
    addRouteHook(route, 'onRequest', (req: FastifyRequest, reply: FastifyReply) =>
      authorizeRequest(database, req, reply, action, url),
    );
  });
}

/** Authenticates a request to a route that needs a viewer, and checks the viewer's right to its action. */
async function authorizeRequest(
  database: Database,
  req: FastifyRequest,
  reply: FastifyReply,
  action: Action,
  url: string,
) {
  const authz = req.headers.authorization;
  const bearer = authz?.startsWith('Bearer ') ? authz.slice(7).trim() : undefined;
  const sessionToken = bearer ? undefined : readCookie(req.headers.cookie, SESSION_COOKIE);
  if (isSelfAction(action)) {
    // The migrant app's routes take a migrant session only; staff credentials there are refused.
    const staff =
      bearer || sessionToken ? await authenticate(database.db, { bearer, sessionToken }) : undefined;
    return authorizeSelfRequest(
      database,
      req,
      reply,
      action,
      staff && !('error' in staff) ? staff : undefined,
    );
  }
  const result = await authenticate(database.db, { bearer, sessionToken });
  if ('error' in result) {
    if (result.error === 'auth.required') {
      const refused = await refuseMigrantOnStaffRoute(database, req, reply, action);
      if (refused) return refused;
    }
    return sendProblem(
      reply,
      401,
      result.error,
      result.error === 'auth.required' ? 'Sign in first' : 'The credentials are not valid; sign in again',
    );
  }
  if (result.via === 'session' && UNSAFE.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !result.csrfToken || !sameSecret(sent, result.csrfToken)) {
      return sendProblem(reply, 403, 'auth.csrf_failed', 'Missing or wrong X-CSRF-Token header');
    }
  }
  req.auth = result;
  if (action === 'session') return;
  if (!result.mfaPassed)
    return sendProblem(reply, 401, 'auth.mfa_required', 'Enter the code from your authenticator app first');
  if (result.mustChangePassword)
    return sendProblem(reply, 403, 'auth.password_change_required', 'Change the one-time password first');
  if (!roleMayAct(result.viewer.role, action)) {
    await recordAudit(database.db, database.dialect, {
      actorUserId: result.viewer.userId,
      actorRole: result.viewer.role,
      action,
      outcome: 'denied',
      personIds: [],
      ip: req.ip,
      details: { route: `${req.method} ${url}`, reason: 'role' },
    });
    return sendProblem(reply, 403, 'access.forbidden', 'Your role may not do this');
  }
}

/** The headers every answer carries (the Content-Security-Policy too, except on the API docs page). */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), geolocation=(self), microphone=()',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Security headers on every answer. The console needs nothing from other origins. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    if (!req.url.startsWith('/api/docs')) reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (req.url.startsWith('/api/') && !reply.hasHeader('Cache-Control'))
      reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });
}
