import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { authorizePerson, roleMayAct, type Viewer } from '../../domain/access/policy.ts';
import { authorizeHelpRequest, referralRefusal } from '../../domain/triage/help-request-access.ts';
import {
  assign,
  close,
  type HelpRequestOutcome,
  type HelpRequestStatus,
  isHelpRequestStatus,
  type LifecycleStep,
  refer,
  type SettableStatus,
  setStatus,
} from '../../domain/triage/help-request-lifecycle.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { HelpRequestRow, HelpRequestTable } from './cases.table.ts';
import {
  auditRequest,
  type CaseContext,
  type Loaded,
  loadPersons,
  withHelpRequest,
} from './help-requests.context.ts';
import { holdingOrganization, viewersOf } from './help-requests.reads.ts';
import {
  findActiveAgreements,
  findJurisdictions,
  findUsers,
  insertEvent,
  updateHelpRequest,
} from './help-requests.repository.ts';
import type { HelpRequestDetail, OpenBody } from './help-requests.schema.ts';
import { createHelpRequest } from './help-requests.service.ts';
import { toDetail } from './help-requests.views.ts';
import { decodeBase64Photo } from './photo.ts';

/** The longest note: a phone call's worth of detail. */
export const MAX_NOTE_LENGTH = 4000;

const statusOf = (row: HelpRequestRow): HelpRequestStatus =>
  isHelpRequestStatus(row.status) ? row.status : 'closed';

function stepOrThrow(step: LifecycleStep): HelpRequestStatus {
  if (step.ok) return step.status;
  throw new AppError(
    step.code,
    step.code === 'help_request.already_closed'
      ? 'The request is closed'
      : 'The request cannot move to that status from where it is',
    409,
  );
}

const mustWork = (loaded: Loaded) => {
  if (!loaded.access.canWork)
    throw new AppError('help_request.read_only', 'You may read this request only', 403);
};
const mustDirect = (loaded: Loaded) => {
  if (!loaded.access.canDirect)
    throw new AppError('help_request.not_holder', 'Only the post or headquarters may do this', 403);
};

type Change = Partial<
  Pick<HelpRequestTable, 'status' | 'assigned_to' | 'referred_to' | 'outcome' | 'closed_at'>
>;

/**
 * Applies one change to a request: the row, a history event and an audit entry in the caller's
 * transaction, then answers the request as the viewer now sees it.
 */
async function change(
  trx: Transaction<DB>,
  database: Database,
  ctx: CaseContext,
  loaded: Loaded,
  e: {
    kind: 'status' | 'assigned' | 'referred' | 'note' | 'closed';
    change: Change;
    details?: Record<string, string>;
    note?: string;
    purpose?: string;
  },
  now: Date,
): Promise<HelpRequestDetail> {
  const { row } = loaded;
  const at = now.toISOString();
  const to = e.change.status ?? row.status;
  await updateHelpRequest(trx, row.id, { ...e.change, updated_at: at });
  await insertEvent(trx, {
    id: newId(now.getTime()),
    help_request_id: row.id,
    kind: e.kind,
    actor_user_id: ctx.viewer.userId,
    from_status: row.status,
    to_status: to,
    details: JSON.stringify(e.details ?? {}),
    notes_enc: e.note ?? null,
    created_at: at,
  });
  await auditRequest(
    trx,
    database,
    { ...ctx, purpose: ctx.purpose ?? e.purpose ?? null },
    {
      action: `help_requests.${e.kind === 'assigned' ? 'assign' : e.kind === 'referred' ? 'refer' : e.kind === 'closed' ? 'close' : e.kind}`,
      outcome: 'done',
      personId: loaded.person.id,
      helpRequestId: row.id,
      access: loaded.access,
      details: { from: row.status, to, ...(e.details ?? {}) },
    },
    now,
  );
  const updated = { ...row, ...e.change, updated_at: at };
  return toDetail(trx, updated, loaded.access, loaded.person, now);
}

/**
 * An officer opens a request for a person (a phone call, a visit). The person must be within the
 * officer's reach, exactly as for reading their record; otherwise the answer is 404 as for a missing
 * person.
 */
export async function openHelpRequestFor(
  database: Database,
  ctx: CaseContext,
  personId: string,
  body: OpenBody,
  now = new Date(),
): Promise<HelpRequestDetail> {
  const photo = body.photo
    ? { contentType: body.photo.contentType, bytes: decodeBase64Photo(body.photo.data) }
    : null;
  let denied: string | undefined;
  const outcome = await database.db.transaction().execute(async (trx) => {
    const person = (await loadPersons(trx, [personId], ctx.viewer, now)).get(personId);
    if (!person) return null;
    const d = authorizePerson(ctx.viewer, 'persons.read', person.facts);
    if (!d.allow) {
      denied = d.reason ?? d.code;
      return null;
    }
    const created = await createHelpRequest(trx, {
      personId,
      type: body.type as Parameters<typeof createHelpRequest>[1]['type'],
      isSos: body.isSos ?? false,
      channel: 'officer',
      alertId: body.alertId ?? null,
      location: body.location ?? null,
      text: body.text ?? null,
      createdBy: ctx.viewer.userId,
      photo,
      now,
    });
    const row = await trx
      .selectFrom('help_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    const postCountries = row.post_id
      ? ((await findJurisdictions(trx, [row.post_id])).get(row.post_id) ?? [])
      : [];
    const access = authorizeHelpRequest(ctx.viewer, { referredTo: null, postCountries }, person.facts);
    if (!access.allow) throw new AppError('help_request.not_found', 'Help request not found', 404);
    return toDetail(trx, row, access, person, now);
  });
  if (!outcome) {
    if (denied) {
      await recordAudit(database.db, database.dialect, {
        actorUserId: ctx.viewer.userId,
        actorRole: ctx.viewer.role,
        action: 'help_requests.create',
        outcome: 'denied',
        personIds: [personId],
        ip: ctx.ip,
        details: { reason: denied },
      });
    }
    throw new AppError('person.not_found', 'Person not found', 404);
  }
  return outcome;
}

/**
 * Assigns a request to a user: someone of the organisation that holds it (the post's state, or the
 * partner it was referred to) whose role works cases and who could work this request themselves.
 */
export function assignHelpRequest(
  database: Database,
  ctx: CaseContext,
  id: string,
  userId: string,
  now = new Date(),
): Promise<HelpRequestDetail> {
  return withHelpRequest(
    database,
    ctx,
    id,
    'help_requests.assign',
    async (trx, loaded) => {
      mustWork(loaded);
      const { row } = loaded;
      const status = stepOrThrow(assign(statusOf(row)));
      const [user] = await findUsers(trx, [userId]);
      if (!user || user.disabled)
        throw new AppError('help_request.assignee_not_found', 'No active user with this id', 422);
      const holder = await holdingOrganization(trx, row, ctx.viewer);
      if (user.organization_id !== holder)
        throw new AppError(
          'help_request.assignee_other_organization',
          'Assign the request to someone of the organisation that holds it',
          409,
        );
      if (!roleMayAct(user.role as Viewer['role'], 'cases.work'))
        throw new AppError('help_request.assignee_cannot_work', 'This user’s role does not work cases', 409);
      const assignee = (await viewersOf(trx, [user], now)).get(user.id)!;
      const person = (await loadPersons(trx, [row.person_id], assignee, now)).get(row.person_id);
      const postCountries = row.post_id
        ? ((await findJurisdictions(trx, [row.post_id])).get(row.post_id) ?? [])
        : [];
      const theirs =
        person &&
        authorizeHelpRequest(assignee, { referredTo: row.referred_to, postCountries }, person.facts);
      if (!theirs || !theirs.allow || !theirs.canWork)
        throw new AppError(
          'help_request.assignee_out_of_scope',
          'This user could not work the request: it is outside their reach',
          409,
        );
      return change(
        trx,
        database,
        ctx,
        loaded,
        { kind: 'assigned', change: { status, assigned_to: user.id }, details: { assigneeId: user.id } },
        now,
      );
    },
    { lock: true, now },
  );
}

/**
 * Refers a request to a partner organisation. Only where an agreement in force with that partner covers
 * the person (409 `help_request.referral_no_agreement`) and the person consented to sharing with it
 * (403 `help_request.referral_no_consent`). The partner then assigns it among its own caseworkers.
 */
export function referHelpRequest(
  database: Database,
  ctx: CaseContext,
  id: string,
  organizationId: string,
  now = new Date(),
): Promise<HelpRequestDetail> {
  return withHelpRequest(
    database,
    ctx,
    id,
    'help_requests.refer',
    async (trx, loaded) => {
      mustDirect(loaded);
      const { row } = loaded;
      const status = stepOrThrow(refer(statusOf(row)));
      const org = await trx
        .selectFrom('organizations')
        .select(['id', 'type'])
        .where('id', '=', organizationId)
        .executeTakeFirst();
      if (!org) throw new AppError('help_request.partner_not_found', 'No such organisation', 422);
      if (!['international_org', 'ngo'].includes(org.type))
        throw new AppError(
          'help_request.partner_type',
          'Requests are referred to international organisations and NGOs',
          422,
        );
      if (row.referred_to === org.id)
        throw new AppError('help_request.already_referred', 'The request is already with this partner', 409);
      const agreements = await findActiveAgreements(trx, org.id, now);
      const facts = (
        await loadPersons(trx, [row.person_id], { userId: ctx.viewer.userId, organizationId: org.id }, now)
      ).get(row.person_id);
      const refusal = facts
        ? referralRefusal({ organizationId: org.id, agreements }, facts.facts)
        : 'no_agreement';
      if (refusal === 'no_agreement')
        throw new AppError(
          'help_request.referral_no_agreement',
          'No agreement in force with this partner covers the person',
          409,
        );
      if (refusal === 'no_consent')
        throw new AppError(
          'help_request.referral_no_consent',
          'The person has not consented to sharing with this partner',
          403,
        );
      return change(
        trx,
        database,
        ctx,
        loaded,
        {
          kind: 'referred',
          change: { status, referred_to: org.id, assigned_to: null },
          details: { organizationId: org.id },
          purpose: agreements.map((a) => a.purpose).join('; ') || undefined,
        },
        now,
      );
    },
    { lock: true, now },
  );
}

/**
 * Sets a status directly (acknowledged, in progress). Taking a referred request back into progress
 * ends the referral: the partner no longer holds it.
 */
export function setHelpRequestStatus(
  database: Database,
  ctx: CaseContext,
  id: string,
  to: SettableStatus,
  now = new Date(),
): Promise<HelpRequestDetail> {
  return withHelpRequest(
    database,
    ctx,
    id,
    'help_requests.status',
    async (trx, loaded) => {
      mustDirect(loaded);
      const { row } = loaded;
      const status = stepOrThrow(setStatus(statusOf(row), to));
      const takenBack = row.status === 'referred';
      return change(
        trx,
        database,
        ctx,
        loaded,
        {
          kind: 'status',
          change: takenBack ? { status, referred_to: null, assigned_to: null } : { status },
          details: takenBack && row.referred_to ? { organizationId: row.referred_to } : {},
        },
        now,
      );
    },
    { lock: true, now },
  );
}

/** Adds a note (encrypted at rest). Notes may follow a closed request: what happened afterwards. */
export function addHelpRequestNote(
  database: Database,
  ctx: CaseContext,
  id: string,
  text: string,
  now = new Date(),
): Promise<HelpRequestDetail> {
  const note = text.trim();
  if (!note) throw new AppError('help_request.note_empty', 'Write the note first', 422);
  if ([...note].length > MAX_NOTE_LENGTH)
    throw new AppError(
      'help_request.note_too_long',
      `A note may be at most ${MAX_NOTE_LENGTH} characters`,
      422,
      {
        maxLength: MAX_NOTE_LENGTH,
      },
    );
  return withHelpRequest(
    database,
    ctx,
    id,
    'help_requests.note',
    async (trx, loaded) => {
      mustWork(loaded);
      if (!loaded.access.fields.has('case_notes'))
        throw new AppError('help_request.notes_forbidden', 'Your agreement does not cover case notes', 403);
      return change(trx, database, ctx, loaded, { kind: 'note', change: {}, note }, now);
    },
    { lock: true, now },
  );
}

/** Closes a request with one of the fixed outcomes, once (a second close is 409 `help_request.already_closed`). */
export function closeHelpRequest(
  database: Database,
  ctx: CaseContext,
  id: string,
  outcome: HelpRequestOutcome,
  now = new Date(),
): Promise<HelpRequestDetail> {
  return withHelpRequest(
    database,
    ctx,
    id,
    'help_requests.close',
    async (trx, loaded) => {
      mustWork(loaded);
      const status = stepOrThrow(close(statusOf(loaded.row)));
      return change(
        trx,
        database,
        ctx,
        loaded,
        { kind: 'closed', change: { status, outcome, closed_at: now.toISOString() }, details: { outcome } },
        now,
      );
    },
    { lock: true, now },
  );
}
