import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { sha256Hex } from '../../lib/crypto.ts';

/**
 * The migrant app's session cookie. Its own name and path, apart from staff sessions: the browser sends
 * it to /api/me only, and a staff route never accepts it.
 */
export const MIGRANT_COOKIE = 'haven_me';
const COOKIE_PATH = '/api/me';

/** A person stays signed in on their phone for 30 days: in a crisis, signing in again is a hurdle. */
export const MIGRANT_SESSION_DAYS = 30;

/** A signed-in person of the migrant app: they act on their own record, `personId`, and nothing else. */
export type MigrantPrincipal = { personId: string; sessionId: string; csrfToken: string };

export type MigrantSessionInfo = { token: string; csrfToken: string; expiresAt: string };

export function migrantCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${MIGRANT_COOKIE}=${encodeURIComponent(token)}; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedMigrantCookie(secure: boolean): string {
  return migrantCookie('', 0, secure);
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Opens a session for a person; only the token's hash is stored, the token goes into the cookie once. */
export async function openMigrantSession(
  db: Kysely<DB>,
  personId: string,
  now = new Date(),
): Promise<MigrantSessionInfo> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + MIGRANT_SESSION_DAYS * 86_400_000).toISOString();
  await db
    .insertInto('migrant_sessions')
    .values({
      id: sha256Hex(token),
      person_id: personId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** Resolves a session token to the signed-in person, or says why it cannot. */
export async function authenticateMigrant(
  db: Kysely<DB>,
  token: string,
  now = new Date(),
): Promise<MigrantPrincipal | { error: 'me.session_invalid' | 'me.session_expired' }> {
  const id = sha256Hex(token);
  const row = await db
    .selectFrom('migrant_sessions')
    .select(['person_id', 'csrf_token', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return { error: 'me.session_invalid' };
  if (row.expires_at <= now.toISOString()) {
    await db.deleteFrom('migrant_sessions').where('id', '=', id).execute();
    return { error: 'me.session_expired' };
  }
  return { personId: row.person_id, sessionId: id, csrfToken: row.csrf_token };
}

export async function closeMigrantSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom('migrant_sessions').where('id', '=', sessionId).execute();
}
