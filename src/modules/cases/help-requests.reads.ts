import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { roleMayAct, type Viewer } from '../../domain/access/policy.ts';
import { authorizeHelpRequest, referralRefusal } from '../../domain/triage/help-request-access.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  accessToRequests,
  auditRequest,
  type CaseContext,
  loadPersons,
  withHelpRequest,
} from './help-requests.context.ts';
import {
  findActiveAgreements,
  findJurisdictions,
  findOrganizationUsers,
  findPartnerOrganizations,
  findPhoto,
  findPost,
  listQueue,
} from './help-requests.repository.ts';
import type { HelpRequestDetail, HelpRequestSummary, QueueQuery } from './help-requests.schema.ts';
import { loadRefs, toDetail, toSummary } from './help-requests.views.ts';

const OPEN_STATUSES = ['new', 'acknowledged', 'in_progress', 'referred'] as const;

/** The post a consular officer works for. */
async function postOf(database: Database, userId: string): Promise<string | null> {
  const row = await database.db
    .selectFrom('users')
    .select('post_id')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.post_id ?? null;
}

/**
 * A queue, most urgent first: a consular officer's post's requests (another post's queue is refused),
 * a partner's referred requests, or any post's (or every request) for headquarters. Each request still
 * passes the policy; the list is audited with the persons it revealed.
 */
export async function readQueue(
  database: Database,
  ctx: CaseContext,
  query: QueueQuery,
  now = new Date(),
): Promise<{ asOf: string; postId: string | null; items: HelpRequestSummary[] }> {
  const { viewer } = ctx;
  let postId = query.post ?? null;
  let referredTo: string | undefined;
  if (viewer.role === 'consular_officer') {
    const own = await postOf(database, viewer.userId);
    if (!own || (postId && postId !== own))
      throw new AppError('help_request.post_outside_scope', 'You see the queue of your own post only', 403);
    postId = own;
  } else if (viewer.role === 'partner_caseworker') {
    referredTo = viewer.organizationId;
  } else if (postId && !(await findPost(database.db, postId))) {
    throw new AppError('help_request.post_not_found', 'No such post', 404);
  }
  const status = query.status ?? 'open';
  const statuses = status === 'open' ? OPEN_STATUSES : status === 'all' ? [] : [status];
  return database.db.transaction().execute(async (trx) => {
    const rows = await listQueue(trx, {
      ...(postId ? { postId } : {}),
      ...(referredTo ? { referredTo } : {}),
      statuses,
      ...(query.priority ? { priority: query.priority } : {}),
      limit: query.limit ?? 200,
    });
    const decided = await accessToRequests(trx, viewer, rows, now);
    const visible = rows.flatMap((row) => {
      const d = decided.get(row.id);
      // Lists never reach a person through an emergency override: that takes a read of one record.
      return d?.access.allow && !d.access.emergency ? [{ row, access: d.access, person: d.person }] : [];
    });
    const refs = await loadRefs(
      trx,
      visible.map((v) => v.row.assigned_to),
      visible.map((v) => v.row.referred_to),
    );
    if (visible.length > 0) {
      await appendAudit(
        trx,
        database.dialect,
        {
          actorUserId: viewer.userId,
          actorRole: viewer.role,
          action: 'help_requests.list',
          outcome: 'allowed',
          personIds: [...new Set(visible.map((v) => v.person.id))],
          purpose: ctx.purpose ?? null,
          ip: ctx.ip,
          details: { count: visible.length, postId },
        },
        now,
      );
    }
    return {
      asOf: now.toISOString(),
      postId,
      items: visible.map((v) => toSummary(v.row, v.access, v.person, refs, now)),
    };
  });
}

/** One request in full, as the viewer may see it; the read is audited in the same transaction. */
export function readHelpRequest(
  database: Database,
  ctx: CaseContext,
  id: string,
  now = new Date(),
): Promise<HelpRequestDetail> {
  return withHelpRequest(database, ctx, id, 'help_requests.read', async (trx, { row, access, person }) => {
    await auditRequest(
      trx,
      database,
      ctx,
      { action: 'help_requests.read', outcome: 'allowed', personId: person.id, helpRequestId: id, access },
      now,
    );
    return toDetail(trx, row, access, person, now);
  });
}

/** The photo of a request, for viewers who may read its case notes; audited. */
export function readHelpRequestPhoto(
  database: Database,
  ctx: CaseContext,
  id: string,
  now = new Date(),
): Promise<{ contentType: string; bytes: Buffer }> {
  return withHelpRequest(database, ctx, id, 'help_requests.photo', async (trx, { access, person }) => {
    const photo = await findPhoto(trx, id);
    if (!photo) throw new AppError('help_request.photo_not_found', 'This request has no photo', 404);
    if (!access.fields.has('case_notes'))
      throw new AppError('help_request.photo_withheld', 'Your agreement does not cover case notes', 403);
    await auditRequest(
      trx,
      database,
      ctx,
      { action: 'help_requests.photo', outcome: 'allowed', personId: person.id, helpRequestId: id, access },
      now,
    );
    return { contentType: photo.content_type, bytes: Buffer.from(photo.photo_enc, 'base64') };
  });
}

/** The organisation that holds a request now: the partner it was referred to, or the post's state. */
export async function holdingOrganization(
  db: Kysely<DB>,
  row: { referred_to: string | null; post_id: string | null },
  viewer: Viewer,
): Promise<string> {
  if (row.referred_to) return row.referred_to;
  const post = row.post_id ? await findPost(db, row.post_id) : undefined;
  return post?.organization_id ?? viewer.organizationId;
}

/** Builds the viewer a user would be, to test whether they could work a request. */
export async function viewersOf(
  db: Kysely<DB>,
  users: ReadonlyArray<{ id: string; role: string; organization_id: string; post_id: string | null }>,
  now: Date,
): Promise<Map<string, Viewer>> {
  const jurisdictions = await findJurisdictions(
    db,
    users.flatMap((u) => (u.post_id ? [u.post_id] : [])),
  );
  const agreements = new Map<string, Awaited<ReturnType<typeof findActiveAgreements>>>();
  for (const org of new Set(
    users.filter((u) => u.role === 'partner_caseworker').map((u) => u.organization_id),
  ))
    agreements.set(org, await findActiveAgreements(db, org, now));
  return new Map(
    users.map((u) => [
      u.id,
      {
        userId: u.id,
        role: u.role as Viewer['role'],
        organizationId: u.organization_id,
        jurisdiction: u.post_id ? (jurisdictions.get(u.post_id) ?? []) : [],
        agreements: agreements.get(u.organization_id) ?? [],
      },
    ]),
  );
}

/**
 * Whom the request may be assigned to: active users of the organisation holding it whose role works
 * cases and who could work this request themselves.
 */
export function listAssignees(database: Database, ctx: CaseContext, id: string, now = new Date()) {
  return withHelpRequest(database, ctx, id, 'help_requests.assignees', async (trx, { row, access }) => {
    if (!access.canWork) throw new AppError('help_request.read_only', 'You may read this request only', 403);
    const org = await holdingOrganization(trx, row, ctx.viewer);
    const users = (await findOrganizationUsers(trx, org)).filter((u) =>
      roleMayAct(u.role as Viewer['role'], 'cases.work'),
    );
    const viewers = await viewersOf(trx, users, now);
    const jurisdictions = await findJurisdictions(trx, row.post_id ? [row.post_id] : []);
    const postCountries = row.post_id ? (jurisdictions.get(row.post_id) ?? []) : [];
    const items = [];
    for (const u of users) {
      const persons = await loadPersons(
        trx,
        [row.person_id],
        { userId: u.id, organizationId: u.organization_id },
        now,
      );
      const person = persons.get(row.person_id);
      const viewer = viewers.get(u.id);
      if (!person || !viewer) continue;
      const a = authorizeHelpRequest(viewer, { referredTo: row.referred_to, postCountries }, person.facts);
      if (a.allow && a.canWork) items.push({ id: u.id, email: u.email, role: u.role });
    }
    return { items };
  });
}

/** Partner organisations, each with whether this request may be referred to it and, if not, why. */
export function listReferralPartners(database: Database, ctx: CaseContext, id: string, now = new Date()) {
  return withHelpRequest(
    database,
    ctx,
    id,
    'help_requests.partners',
    async (trx, { row, access, person }) => {
      if (!access.canDirect)
        throw new AppError(
          'help_request.refer_forbidden',
          'Only the post or headquarters refers a request',
          403,
        );
      const partners = await findPartnerOrganizations(trx);
      const items = [];
      for (const org of partners) {
        const persons = await loadPersons(
          trx,
          [row.person_id],
          { userId: ctx.viewer.userId, organizationId: org.id },
          now,
        );
        const person = persons.get(row.person_id);
        if (!person) continue;
        const refusal = referralRefusal(
          { organizationId: org.id, agreements: await findActiveAgreements(trx, org.id, now) },
          person.facts,
        );
        items.push({ id: org.id, name: org.name, type: org.type, eligible: refusal === null, refusal });
      }
      // Which partners the person consented to is theirs: reading it is audited like any other read.
      await auditRequest(
        trx,
        database,
        ctx,
        {
          action: 'help_requests.partners',
          outcome: 'allowed',
          personId: person.id,
          helpRequestId: id,
          access,
        },
        now,
      );
      return { items };
    },
  );
}
