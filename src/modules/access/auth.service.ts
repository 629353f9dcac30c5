import { randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import {
  type ActiveAgreement,
  type AgreementCategory,
  ROLES,
  ROLES_REQUIRING_TOTP,
  type Role,
  type Viewer,
} from '../../domain/access/policy.ts';
import { AppError } from '../../errors.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UserTable } from './access.table.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
const TOTP_PERIOD = 30;

const ARGON2 = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, ARGON2);

/** A random secret shown once: 20 characters from an unambiguous alphabet. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export type User = Omit<UserTable, 'password_hash' | 'totp_secret_enc'>;

/**
 * Creates an account and returns it with a one-time password the person must change at first sign-in.
 * A consular officer must belong to a post, whose jurisdiction then bounds what they see.
 */
export async function createUser(
  db: Kysely<DB>,
  input: { email: string; role: string; organizationId: string; postId?: string | null },
  now = new Date(),
): Promise<{ user: User; oneTimePassword: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw new AppError('user.email_invalid', 'Not a valid e-mail address', 422);
  if (!(ROLES as readonly string[]).includes(input.role))
    throw new AppError('user.role_unknown', `role must be one of ${ROLES.join(', ')}`, 422);
  const org = await db
    .selectFrom('organizations')
    .select(['id', 'type'])
    .where('id', '=', input.organizationId)
    .executeTakeFirst();
  if (!org) throw new AppError('user.organization_not_found', 'No such organization', 422);
  if (input.role === 'consular_officer' && !input.postId)
    throw new AppError('user.post_required', 'A consular officer must belong to a post', 422);
  if (input.postId) {
    const post = await db.selectFrom('posts').select('id').where('id', '=', input.postId).executeTakeFirst();
    if (!post) throw new AppError('user.post_not_found', 'No such post', 422);
  }
  if (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) {
    throw new AppError('user.email_taken', 'An account with this e-mail already exists', 409);
  }
  const password = oneTimePassword();
  const ts = now.toISOString();
  const row: UserTable = {
    id: newId(),
    email,
    organization_id: input.organizationId,
    post_id: input.postId ?? null,
    role: input.role,
    password_hash: await hashPassword(password),
    must_change_password: 1,
    totp_secret_enc: null,
    totp_enabled: 0,
    totp_last_step: null,
    failed_logins: 0,
    locked_until: null,
    disabled: 0,
    created_at: ts,
    updated_at: ts,
  };
  await db.insertInto('users').values(row).execute();
  const { password_hash: _h, totp_secret_enc: _t, ...user } = row;
  return { user, oneTimePassword: password };
}

export type SessionInfo = {
  token: string;
  csrfToken: string;
  mfaRequired: boolean;
  mustChangePassword: boolean;
  expiresAt: string;
};

const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0jcOJiGxbT3BZ9Pgqa5tqyw6O5fXJbmPY2nh5cKQ2u8';

/**
 * Checks a password and opens a session. Failures count towards a lockout; the answer for an unknown
 * e-mail and a wrong password is the same, and takes the same time.
 */
export async function login(
  database: Database,
  input: { email: string; password: string; ip: string | null },
  ttlMinutes: number,
  now = new Date(),
): Promise<SessionInfo> {
  const { db } = database;
  const email = input.email.trim().toLowerCase();
  const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  if (!user || user.disabled) {
    await argon2.verify(DUMMY_HASH, input.password).catch(() => false);
    await recordAudit(db, database.dialect, {
      actorUserId: null,
      actorRole: null,
      action: 'auth.login',
      outcome: 'denied',
      personIds: [],
      ip: input.ip,
      details: { reason: 'bad_credentials' },
    });
    throw new AppError('auth.invalid_credentials', 'E-mail or password is wrong', 401);
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    await recordAudit(db, database.dialect, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'auth.login',
      outcome: 'denied',
      personIds: [],
      ip: input.ip,
      details: { reason: 'locked' },
    });
    throw new AppError(
      'auth.locked',
      `Too many failed sign-ins; the account is locked for up to ${LOCKOUT_MINUTES} minutes`,
      429,
    );
  }
  const ok = await argon2.verify(user.password_hash, input.password).catch(() => false);
  if (!ok) {
    const failed = user.failed_logins + 1;
    const locked =
      failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    await db
      .updateTable('users')
      .set({ failed_logins: locked ? 0 : failed, locked_until: locked, updated_at: now.toISOString() })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(db, database.dialect, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'auth.login',
      outcome: 'denied',
      personIds: [],
      ip: input.ip,
      details: { reason: locked ? 'locked_now' : 'bad_password' },
    });
    throw new AppError('auth.invalid_credentials', 'E-mail or password is wrong', 401);
  }
  await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', user.id)
    .execute();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000).toISOString();
  const mfaRequired = ROLES_REQUIRING_TOTP.has(user.role as Role);
  await db
    .insertInto('sessions')
    .values({
      id: sha256Hex(token),
      user_id: user.id,
      csrf_token: csrfToken,
      mfa_passed: mfaRequired ? 0 : 1,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  await recordAudit(db, database.dialect, {
    actorUserId: user.id,
    actorRole: user.role,
    action: 'auth.login',
    outcome: 'allowed',
    personIds: [],
    ip: input.ip,
    details: {},
  });
  return { token, csrfToken, mfaRequired, mustChangePassword: user.must_change_password === 1, expiresAt };
}

const totpFor = (secret: string, label: string) =>
  new TOTP({
    issuer: 'Haven',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  });

/** Starts TOTP enrolment: a fresh secret, stored encrypted, returned once as an otpauth:// URI. */
export async function beginTotpEnrolment(
  db: Kysely<DB>,
  userId: string,
): Promise<{ secret: string; uri: string }> {
  const user = await db
    .selectFrom('users')
    .select(['email', 'totp_enabled'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.totp_enabled)
    throw new AppError(
      'auth.totp_already_enabled',
      'A second factor is already set up for this account',
      409,
    );
  const secret = new Secret({ size: 20 }).base32;
  await db.updateTable('users').set({ totp_secret_enc: secret }).where('id', '=', userId).execute();
  return { secret, uri: totpFor(secret, user.email).toString() };
}

/**
 * Checks a TOTP code against the account's secret, accepting one step of clock drift. A code (time
 * step) is accepted once only: a replayed code is refused.
 */
export async function checkTotp(
  db: Kysely<DB>,
  userId: string,
  code: string,
  now = new Date(),
): Promise<void> {
  const user = await db
    .selectFrom('users')
    .select(['email', 'totp_secret_enc', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!user.totp_secret_enc)
    throw new AppError('auth.totp_not_enrolled', 'Set up a second factor first', 409);
  const delta = totpFor(user.totp_secret_enc, user.email).validate({
    token: code.replace(/\s/g, ''),
    timestamp: now.getTime(),
    window: 1,
  });
  if (delta === null) throw new AppError('auth.totp_invalid', 'The code is wrong or expired', 401);
  const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD) + delta;
  if (user.totp_last_step !== null && step <= user.totp_last_step)
    throw new AppError('auth.totp_replayed', 'This code was already used; wait for the next one', 401);
  const res = await db
    .updateTable('users')
    .set({ totp_last_step: step, totp_enabled: 1 })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0)
    throw new AppError('auth.totp_replayed', 'This code was already used; wait for the next one', 401);
}

/** The current TOTP code for a secret (the CLI and tests use it; people use their authenticator app). */
export const totpCode = (secret: string, now = new Date()) =>
  totpFor(secret, 'x').generate({ timestamp: now.getTime() });

export async function markSessionMfaPassed(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ mfa_passed: 1 }).where('id', '=', sessionId).execute();
}

/** Replaces the password after checking the current one; passwords under 12 characters are refused. */
export async function changePassword(
  db: Kysely<DB>,
  userId: string,
  current: string,
  next: string,
): Promise<void> {
  if (next.length < 12 || next.length > 200)
    throw new AppError('auth.password_weak', 'The new password must be 12 to 200 characters long', 422);
  const user = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!(await argon2.verify(user.password_hash, current).catch(() => false)))
    throw new AppError('auth.invalid_credentials', 'The current password is wrong', 401);
  if (current === next)
    throw new AppError('auth.password_reused', 'Choose a password different from the current one', 422);
  await db
    .updateTable('users')
    .set({
      password_hash: await hashPassword(next),
      must_change_password: 0,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', userId)
    .execute();
}

/** Creates an API token for a partner system; only its hash is stored, the token is returned once. */
export async function createApiToken(
  db: Kysely<DB>,
  input: { email: string; expiresInDays: number; label?: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: string }> {
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 366) {
    throw new AppError('token.expiry_invalid', 'A token expires after 1 to 366 days', 422);
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'disabled'])
    .where('email', '=', input.email.trim().toLowerCase())
    .executeTakeFirst();
  if (!user || user.disabled)
    throw new AppError('token.user_not_found', 'No active account with this e-mail', 404);
  const token = `hvn_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString();
  await db
    .insertInto('api_tokens')
    .values({
      id: newId(),
      user_id: user.id,
      token_hash: sha256Hex(token),
      label: input.label ?? null,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token, expiresAt };
}

export type Authenticated = {
  viewer: Viewer;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
  mfaPassed: boolean;
  mustChangePassword: boolean;
  email: string;
};

async function loadViewer(db: Kysely<DB>, user: UserTable, now: Date): Promise<Viewer> {
  const jurisdiction = user.post_id
    ? (
        await db
          .selectFrom('post_jurisdictions')
          .select('country')
          .where('post_id', '=', user.post_id)
          .execute()
      ).map((r) => r.country)
    : [];
  let agreements: ActiveAgreement[] = [];
  if (user.role === 'partner_caseworker') {
    const today = now.toISOString().slice(0, 10);
    const rows = await db
      .selectFrom('agreements')
      .selectAll()
      .where('partner_org_id', '=', user.organization_id)
      .where('starts_on', '<=', today)
      .where('ends_on', '>=', today)
      .where('ended_at', 'is', null)
      .execute();
    agreements = rows.map((a) => ({
      id: a.id,
      purpose: a.purpose,
      categories: JSON.parse(a.categories) as AgreementCategory[],
      countries: JSON.parse(a.scope_countries) as string[],
      nationalities: JSON.parse(a.scope_nationalities) as string[],
    }));
  }
  return {
    userId: user.id,
    role: user.role as Role,
    organizationId: user.organization_id,
    jurisdiction,
    agreements,
  };
}

/**
 * Resolves the credentials of a request (a bearer token or a session cookie) to a viewer, freshly
 * loaded on every request so that a withdrawn agreement or a disabled account takes effect at once.
 */
export async function authenticate(
  db: Kysely<DB>,
  creds: { bearer?: string; sessionToken?: string },
  now = new Date(),
): Promise<Authenticated | { error: string }> {
  const ts = now.toISOString();
  if (creds.bearer) {
    const row = await db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .select(['api_tokens.expires_at as token_expires_at', 'api_tokens.revoked_at'])
      .where('api_tokens.token_hash', '=', sha256Hex(creds.bearer))
      .executeTakeFirst();
    if (!row || row.revoked_at || row.disabled) return { error: 'auth.token_invalid' };
    if (row.token_expires_at <= ts) return { error: 'auth.token_expired' };
    const { token_expires_at: _e, revoked_at: _r, ...user } = row;
    return {
      viewer: await loadViewer(db, user, now),
      via: 'token',
      mfaPassed: true,
      mustChangePassword: false,
      email: user.email,
    };
  }
  if (creds.sessionToken) {
    const id = sha256Hex(creds.sessionToken);
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.expires_at as session_expires_at', 'sessions.csrf_token', 'sessions.mfa_passed'])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (!row || row.disabled) return { error: 'auth.session_invalid' };
    if (row.session_expires_at <= ts) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
      return { error: 'auth.session_expired' };
    }
    const { session_expires_at: _e, csrf_token, mfa_passed, ...user } = row;
    return {
      viewer: await loadViewer(db, user, now),
      via: 'session',
      sessionId: id,
      csrfToken: csrf_token,
      mfaPassed: mfa_passed === 1,
      mustChangePassword: user.must_change_password === 1,
      email: user.email,
    };
  }
  return { error: 'auth.required' };
}

export async function logout(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Constant-time comparison of two secrets. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
