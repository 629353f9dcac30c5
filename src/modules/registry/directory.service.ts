import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { toAlpha2 } from '../../domain/reference/countries.ts';
import { normalizeEmail, normalizePhone } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import type {
  HouseholdCreate,
  HouseholdView,
  OrganizationCreate,
  PostCreate,
  PostView,
} from './directory.schema.ts';
import type { OrganizationRow, PostRow } from './registry.table.ts';

function country(code: string, field: string): string {
  const c = toAlpha2(code);
  if (!c) throw new AppError('request.country_unknown', `${field} is not an ISO 3166-1 country code`, 422);
  return c;
}

export const toOrganizationView = (o: OrganizationRow) => ({
  id: o.id,
  name: o.name,
  type: o.type,
  country: o.country,
  createdAt: o.created_at,
});

/** Adds a partner, employer, host-state or origin-state organisation. */
export async function createOrganization(db: Kysely<DB>, input: OrganizationCreate, now = new Date()) {
  const ts = now.toISOString();
  const row: OrganizationRow = {
    id: newId(),
    name: input.name.trim(),
    type: input.type,
    country: input.country ? country(input.country, 'country') : null,
    created_at: ts,
    updated_at: ts,
  };
  await db.insertInto('organizations').values(row).execute();
  return row;
}

export async function listOrganizations(db: Kysely<DB>, type?: string) {
  let q = db.selectFrom('organizations').selectAll().orderBy('name').limit(1000);
  if (type) q = q.where('type', '=', type);
  return q.execute();
}

export async function getOrganization(db: Kysely<DB>, id: string) {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('organization.not_found', 'Organization not found', 404);
  return row;
}

const toPostView = (p: PostRow, jurisdiction: string[]): PostView => ({
  id: p.id,
  organizationId: p.organization_id,
  name: p.name,
  kind: p.kind,
  country: p.country,
  city: p.city,
  lat: p.lat,
  lon: p.lon,
  phone: p.phone,
  email: p.email,
  address: p.address,
  jurisdiction,
});

/** Opens an embassy or consulate of an origin-state organisation, with the countries it covers. */
export async function createPost(db: Kysely<DB>, input: PostCreate, now = new Date()): Promise<PostView> {
  const org = await db
    .selectFrom('organizations')
    .select('type')
    .where('id', '=', input.organizationId)
    .executeTakeFirst();
  if (!org) throw new AppError('post.organization_not_found', 'No such organization', 422);
  if (org.type !== 'origin_state')
    throw new AppError(
      'post.organization_not_origin_state',
      'A post belongs to an origin-state organization',
      422,
    );
  const jurisdiction = [...new Set(input.jurisdiction.map((c) => country(c, 'jurisdiction')))];
  const phone = input.phone ? normalizePhone(input.phone) : null;
  if (input.phone && !phone) throw new AppError('post.phone_invalid', 'The phone number is not valid', 422);
  const email = input.email ? normalizeEmail(input.email) : null;
  if (input.email && !email) throw new AppError('post.email_invalid', 'The e-mail address is not valid', 422);
  const ts = now.toISOString();
  const row: PostRow = {
    id: newId(),
    organization_id: input.organizationId,
    name: input.name.trim(),
    kind: input.kind,
    country: country(input.country, 'country'),
    city: input.city ?? null,
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    phone: phone ?? null,
    email: email ?? null,
    address: input.address ?? null,
    created_at: ts,
    updated_at: ts,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('posts').values(row).execute();
    await trx
      .insertInto('post_jurisdictions')
      .values(jurisdiction.map((c) => ({ post_id: row.id, country: c })))
      .execute();
  });
  return toPostView(row, jurisdiction);
}

export async function listPosts(db: Kysely<DB>): Promise<PostView[]> {
  const [posts, jur] = await Promise.all([
    db.selectFrom('posts').selectAll().orderBy('name').execute(),
    db.selectFrom('post_jurisdictions').selectAll().orderBy('country').execute(),
  ]);
  return posts.map((p) =>
    toPostView(
      p,
      jur.filter((j) => j.post_id === p.id).map((j) => j.country),
    ),
  );
}

export async function getPost(db: Kysely<DB>, id: string): Promise<PostView> {
  const p = await db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw new AppError('post.not_found', 'Post not found', 404);
  const jur = await db
    .selectFrom('post_jurisdictions')
    .select('country')
    .where('post_id', '=', id)
    .orderBy('country')
    .execute();
  return toPostView(
    p,
    jur.map((j) => j.country),
  );
}

async function householdViews(db: Kysely<DB>, ids?: string[]): Promise<HouseholdView[]> {
  let q = db
    .selectFrom('households as h')
    .leftJoin('persons as p', 'p.household_id', 'h.id')
    .select((eb) => [
      'h.id',
      'h.label',
      'h.kind',
      'h.external_ref',
      'h.created_at',
      eb.fn.count<number>('p.id').as('members'),
    ])
    .groupBy(['h.id', 'h.label', 'h.kind', 'h.external_ref', 'h.created_at'])
    .orderBy('h.id')
    .limit(500);
  if (ids) q = q.where('h.id', 'in', ids);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    kind: r.kind,
    externalRef: r.external_ref,
    memberCount: Number(r.members),
    createdAt: r.created_at,
  }));
}

/** Creates a household or travelling group; members join it through their person record. */
export async function createHousehold(
  db: Kysely<DB>,
  input: HouseholdCreate,
  now = new Date(),
): Promise<HouseholdView> {
  const ts = now.toISOString();
  const id = newId();
  if (input.externalRef) {
    const other = await db
      .selectFrom('households')
      .select('id')
      .where('external_ref', '=', input.externalRef)
      .executeTakeFirst();
    if (other)
      throw new AppError(
        'household.external_ref_taken',
        'Another household already has this external reference',
        409,
      );
  }
  await db
    .insertInto('households')
    .values({
      id,
      label: input.label.trim(),
      kind: input.kind ?? 'household',
      external_ref: input.externalRef ?? null,
      created_at: ts,
      updated_at: ts,
    })
    .execute();
  return (await householdViews(db, [id]))[0]!;
}

export const listHouseholds = (db: Kysely<DB>) => householdViews(db);

export async function getHousehold(db: Kysely<DB>, id: string): Promise<HouseholdView> {
  const [h] = await householdViews(db, [id]);
  if (!h) throw new AppError('household.not_found', 'Household not found', 404);
  return h;
}
