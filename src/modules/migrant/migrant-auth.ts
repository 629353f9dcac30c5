import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Action, SelfAction } from '../../domain/access/policy.ts';
import { sendProblem } from '../../http/problem.ts';
import type { Authenticated } from '../access/auth.service.ts';
import { sameSecret } from '../access/auth.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  authenticateMigrant,
  cookieValue,
  MIGRANT_COOKIE,
  type MigrantPrincipal,
} from './migrant-session.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, on a route of the migrant app (a self.* action). */
    migrant?: MigrantPrincipal;
  }
}

/** The role written to the audit log for what a person does in the migrant app. */
export const MIGRANT_ROLE = 'migrant';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The signed-in person of a request whose route required one. */
export function migrantOf(req: FastifyRequest): MigrantPrincipal {
  if (!req.migrant) throw new Error('route reached without a migrant session');
  return req.migrant;
}

const routeOf = (req: FastifyRequest) => `${req.method} ${req.routeOptions.url ?? ''}`;

/**
 * Authorises a request to a route of the migrant app: it needs a valid migrant session (and its CSRF
 * token for a change). A staff account, signed in or with a token, is refused with 403 whatever its role:
 * no staff role acts as a person in the app. Answers the reply when it refused, else undefined.
 */
export async function authorizeSelfRequest(
  database: Database,
  req: FastifyRequest,
  reply: FastifyReply,
  action: SelfAction,
  staff: Authenticated | undefined,
): Promise<FastifyReply | undefined> {
  const token = cookieValue(req.headers.cookie, MIGRANT_COOKIE);
  const result = token ? await authenticateMigrant(database.db, token) : { error: 'auth.required' as const };
  if ('error' in result) {
    if (staff) {
      await recordAudit(database.db, database.dialect, {
        actorUserId: staff.viewer.userId,
        actorRole: staff.viewer.role,
        action,
        outcome: 'denied',
        personIds: [],
        ip: req.ip,
        details: { route: routeOf(req), reason: 'migrant_app_only' },
      });
      return sendProblem(
        reply,
        403,
        'access.forbidden',
        'Only a person signed in to the migrant app may do this',
      );
    }
    return sendProblem(
      reply,
      401,
      result.error,
      result.error === 'auth.required' ? 'Sign in first' : 'The session is not valid; sign in again',
    );
  }
  if (UNSAFE.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, result.csrfToken))
      return sendProblem(reply, 403, 'auth.csrf_failed', 'Missing or wrong X-CSRF-Token header');
  }
  req.migrant = result;
  return undefined;
}

/**
 * Refuses a staff route to a request that carries only a migrant session, with 403 (it is signed in, but
 * not as staff). Answers the reply when it refused, else undefined (no valid migrant session: the
 * caller answers 401 as for anyone not signed in).
 */
export async function refuseMigrantOnStaffRoute(
  database: Database,
  req: FastifyRequest,
  reply: FastifyReply,
  action: Action,
): Promise<FastifyReply | undefined> {
  const token = cookieValue(req.headers.cookie, MIGRANT_COOKIE);
  if (!token) return undefined;
  const result = await authenticateMigrant(database.db, token);
  if ('error' in result) return undefined;
  await recordAudit(database.db, database.dialect, {
    actorUserId: null,
    actorRole: MIGRANT_ROLE,
    action,
    outcome: 'denied',
    personIds: [result.personId],
    ip: req.ip,
    details: { route: routeOf(req), reason: 'staff_only' },
  });
  return sendProblem(reply, 403, 'access.forbidden', 'A migrant app session may not do this');
}
