import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { visibleReasons } from '../../domain/triage/help-request-access.ts';
import {
  type HelpRequestStatus,
  isHelpRequestStatus,
  nextStatuses,
  SETTABLE_STATUSES,
} from '../../domain/triage/help-request-lifecycle.ts';
import { slaState, type TriageReason } from '../../domain/triage/triage-help-request.ts';
import { DEFAULT_TRIAGE_RULES, type TriagePriority } from '../../domain/triage/triage-rules.ts';
import type { HelpRequestEventRow, HelpRequestRow } from './cases.table.ts';
import type { Allowed, PersonOfRequest } from './help-requests.context.ts';
import {
  findActedAt,
  findOrganizations,
  findPhotoMeta,
  findPost,
  findUsers,
  listEvents,
} from './help-requests.repository.ts';
import type { HelpRequestDetail, HelpRequestSummary } from './help-requests.schema.ts';

type Ref = { id: string; email: string } | null;
type OrgRef = { id: string; name: string } | null;

/** Users and organisations a set of requests names, looked up once. */
export type Refs = {
  users: Map<string, { id: string; email: string }>;
  orgs: Map<string, { id: string; name: string }>;
};

export async function loadRefs(
  db: Kysely<DB>,
  userIds: Iterable<string | null>,
  orgIds: Iterable<string | null>,
): Promise<Refs> {
  const present = (ids: Iterable<string | null>) => [...new Set([...ids].filter((x): x is string => !!x))];
  const [users, orgs] = await Promise.all([
    findUsers(db, present(userIds)),
    findOrganizations(db, present(orgIds)),
  ]);
  return {
    users: new Map(users.map((u) => [u.id, { id: u.id, email: u.email }])),
    orgs: new Map(orgs.map((o) => [o.id, { id: o.id, name: o.name }])),
  };
}

const userRef = (refs: Refs, id: string | null): Ref => (id ? (refs.users.get(id) ?? null) : null);
const orgRef = (refs: Refs, id: string | null): OrgRef => (id ? (refs.orgs.get(id) ?? null) : null);

/**
 * Where a request stands against its deadline: the stored deadline counts (the rules may have changed
 * since), and the clock stops when someone first acted on the request.
 */
export function slaOf(row: HelpRequestRow, actedAt: string | null, now: Date): HelpRequestSummary['sla'] {
  const createdAt = new Date(row.created_at);
  const priority = row.priority as TriagePriority;
  const minutes = Math.round((Date.parse(row.sla_due_at) - createdAt.getTime()) / 60_000);
  const state = slaState(createdAt, priority, actedAt ? new Date(actedAt) : now, {
    ...DEFAULT_TRIAGE_RULES.slaMinutes,
    [priority]: minutes,
  });
  return { dueAt: row.sla_due_at, overdue: state.overdue, minutesLeft: state.minutesLeft, actedAt };
}

/** A queue line: what the officer needs to choose what to do next, as this viewer may see it. */
export function toSummary(
  row: HelpRequestRow & { acted_at?: string | null; has_photo?: unknown },
  access: Allowed,
  person: PersonOfRequest,
  refs: Refs,
  now: Date,
): HelpRequestSummary {
  return {
    id: row.id,
    postId: row.post_id,
    person: { id: person.id, name: access.fields.has('name') ? person.name : null },
    type: row.type,
    isSos: row.is_sos === 1,
    channel: row.channel,
    priority: row.priority,
    score: row.score,
    reasons: visibleReasons(JSON.parse(row.reasons) as TriageReason[], access.fields),
    status: row.status,
    assignedTo: userRef(refs, row.assigned_to),
    referredTo: orgRef(refs, row.referred_to),
    outcome: row.outcome,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    sla: slaOf(row, row.acted_at ?? null, now),
    hasPhoto: row.has_photo === true || Number(row.has_photo) === 1,
    emergency: access.emergency,
  };
}

type EventDetails = { assigneeId?: string; organizationId?: string; outcome?: string };

/** What this viewer may do next with the request. */
export function actionsFor(row: HelpRequestRow, access: Allowed): HelpRequestDetail['actions'] {
  const status: HelpRequestStatus = isHelpRequestStatus(row.status) ? row.status : 'closed';
  const open = status !== 'closed';
  return {
    statuses: access.canDirect
      ? nextStatuses(status).filter((s) => (SETTABLE_STATUSES as readonly string[]).includes(s))
      : [],
    canAssign: access.canWork && open,
    canRefer: access.canDirect && open,
    canClose: access.canWork && open,
    canNote: access.canWork && access.fields.has('case_notes'),
  };
}

/**
 * The whole request as this viewer may see it: free text, notes and photo need the case-notes category,
 * the location needs the location category (a partner sees what its agreement grants).
 */
export async function toDetail(
  db: Kysely<DB>,
  row: HelpRequestRow,
  access: Allowed,
  person: PersonOfRequest,
  now: Date,
): Promise<HelpRequestDetail> {
  const [events, photo, actedAt, post] = await Promise.all([
    listEvents(db, row.id),
    findPhotoMeta(db, row.id),
    findActedAt(db, row.id),
    row.post_id ? findPost(db, row.post_id) : Promise.resolve(undefined),
  ]);
  const details = new Map<string, EventDetails>(
    events.map((e) => [e.id, JSON.parse(e.details || '{}') as EventDetails]),
  );
  const refs = await loadRefs(
    db,
    [
      row.assigned_to,
      ...events.map((e) => e.actor_user_id),
      ...[...details.values()].map((d) => d.assigneeId ?? null),
    ],
    [row.referred_to, ...[...details.values()].map((d) => d.organizationId ?? null)],
  );
  const notesVisible = access.fields.has('case_notes');
  const history = events.map((e: HelpRequestEventRow) => {
    const d = details.get(e.id) ?? {};
    return {
      id: e.id,
      kind: e.kind as HelpRequestDetail['history'][number]['kind'],
      at: e.created_at,
      actor: userRef(refs, e.actor_user_id),
      fromStatus: e.from_status,
      toStatus: e.to_status,
      assignee: userRef(refs, d.assigneeId ?? null),
      organization: orgRef(refs, d.organizationId ?? null),
      outcome: d.outcome ?? null,
    };
  });
  const notes = notesVisible
    ? events
        .filter((e) => e.kind === 'note' && e.notes_enc !== null)
        .map((e) => ({
          id: e.id,
          text: e.notes_enc as string,
          author: userRef(refs, e.actor_user_id),
          at: e.created_at,
        }))
    : [];
  const hasNotes = events.some((e) => e.kind === 'note');
  return {
    ...toSummary({ ...row, acted_at: actedAt, has_photo: photo !== undefined }, access, person, refs, now),
    alertId: row.alert_id,
    post: post ? { id: post.id, name: post.name } : null,
    freeText: notesVisible ? row.free_text_enc : null,
    caseNotesWithheld: !notesVisible && (row.free_text_enc !== null || hasNotes || photo !== undefined),
    location:
      access.fields.has('location') && row.lat !== null && row.lng !== null
        ? { lat: row.lat, lng: row.lng, h3Cell: row.h3_cell }
        : null,
    photo:
      photo && notesVisible
        ? {
            url: `/api/help-requests/${row.id}/photo`,
            contentType: photo.content_type,
            sizeBytes: photo.size_bytes,
          }
        : null,
    notes,
    history,
    actions: actionsFor(row, access),
  };
}
