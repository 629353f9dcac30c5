import type { Kysely } from 'kysely';
import { Secret } from 'otpauth';
import type { DB } from '../../db/schema.ts';
import { ROLES, type Role } from '../../domain/access/policy.ts';
import { newId } from '../../lib/ids.ts';
import { hashPassword, oneTimePassword } from '../access/auth.service.ts';

/** Credentials of one demo account, printed once by `haven seed demo`. */
export type DemoCredential = {
  role: Role;
  email: string;
  password: string;
  totpSecret: string | null;
  organization: string;
};

export const demoEmail = (role: Role) => `demo.${role.replace(/_/g, '-')}@example.org`;

async function orgByType(db: Kysely<DB>, type: string, country?: string) {
  let q = db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('type', '=', type)
    .where('name', 'like', '%(demo)')
    .orderBy('name');
  if (country) q = q.where('country', '=', country);
  return (
    (await q.executeTakeFirst()) ??
    (await db
      .selectFrom('organizations')
      .select(['id', 'name'])
      .where('type', '=', type)
      .orderBy('name')
      .executeTakeFirst())
  );
}

/**
 * One account for each role, on the demo organisations, ready to sign in: a fresh password and, for
 * roles that need it, an enrolled TOTP secret. Running again resets both, so the printed credentials
 * are always the valid ones.
 */
export async function seedDemoUsers(db: Kysely<DB>, now = new Date()): Promise<DemoCredential[]> {
  const origin = await orgByType(db, 'origin_state');
  if (!origin) return [];
  const post = await db
    .selectFrom('posts')
    .select(['posts.id'])
    .innerJoin('post_jurisdictions', 'post_jurisdictions.post_id', 'posts.id')
    .where('post_jurisdictions.country', '=', 'SA')
    .orderBy('posts.name')
    .executeTakeFirst();
  const firstPost = post ?? (await db.selectFrom('posts').select('id').orderBy('name').executeTakeFirst());
  const orgs: Record<Role, { id: string; name: string } | undefined> = {
    hq_admin: origin,
    crisis_manager: origin,
    consular_officer: origin,
    partner_caseworker: await orgByType(db, 'international_org'),
    employer_liaison: await orgByType(db, 'employer', 'SA'),
    host_authority: await orgByType(db, 'host_state', 'SA'),
    analyst: origin,
    auditor: origin,
  };
  const out: DemoCredential[] = [];
  for (const role of ROLES) {
    const org = orgs[role];
    if (!org) continue;
    const email = demoEmail(role);
    const password = oneTimePassword();
    const needsTotp = !['host_authority', 'analyst'].includes(role);
    const totpSecret = needsTotp ? new Secret({ size: 20 }).base32 : null;
    const values = {
      organization_id: org.id,
      post_id: role === 'consular_officer' ? (firstPost?.id ?? null) : null,
      role,
      password_hash: await hashPassword(password),
      must_change_password: 0,
      totp_secret_enc: totpSecret,
      totp_enabled: totpSecret ? 1 : 0,
      totp_last_step: null,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      updated_at: now.toISOString(),
    };
    const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) await db.updateTable('users').set(values).where('id', '=', existing.id).execute();
    else
      await db
        .insertInto('users')
        .values({ id: newId(), email, created_at: now.toISOString(), ...values })
        .execute();
    out.push({ role, email, password, totpSecret, organization: org.name });
  }
  return out;
}
