import type { Database } from '../../db/database.ts';
import { authorizePerson, personScope, type Viewer } from '../../domain/access/policy.ts';
import {
  type BoardAudience,
  boardAudience,
  boardCountScope,
  type CountScope,
  mayViewAlertBoard,
} from '../../domain/board/board-access.ts';
import { publishExact, suppressSmallCells } from '../../domain/board/board-suppression.ts';
import { BoardTally } from '../../domain/board/board-tally.ts';
import { buildTimeline, suppressTimeline } from '../../domain/board/board-timeline.ts';
import { AppError } from '../../errors.ts';
import { SMALL_CELL_THRESHOLD } from '../aggregates/aggregates.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  type BoardAlerts,
  countFollowUpWork,
  findAlertBoardFacts,
  findBoardPeople,
  findDeliveryStates,
  findIncidentBoardFacts,
  findIncidentEvents,
  findTimelineRows,
  findUnaccountedPage,
  listIssuedAlerts,
} from './board.repository.ts';
import type {
  BoardSubject,
  BoardSubjectsView,
  BoardView,
  TimelineView,
  UnaccountedPage,
  UnaccountedQuery,
} from './board.schema.ts';

/** Who asks, and from where. */
export type BoardContext = { viewer: Viewer; ip: string | null };

export type SubjectKind = BoardSubject['kind'];

/** Recipients counted per query: big enough to be quick, small enough to hold a write lock briefly. */
const PEOPLE_BATCH = 20_000;

const alertNotFound = () => new AppError('alert.not_found', 'Alert not found', 404);
const incidentNotFound = () => new AppError('cap.incident_not_found', 'Incident not found', 404);
const notIssued = () =>
  new AppError(
    'board.not_issued',
    'Nothing has been issued yet: the board starts with the first issued alert',
    409,
  );

/** A board's subject as the viewer may see it, with what reading it needs. */
export type ResolvedBoard = {
  subject: BoardSubject;
  alerts: BoardAlerts;
  audience: Exclude<BoardAudience, 'none'>;
  scope: CountScope;
};

/**
 * Finds an alert's or an incident's board and checks the viewer may see it: an alert by the rule of
 * reading it (aggregates-only roles: public alerts), an incident through the issued alerts of it the
 * viewer may see. A board the viewer may not see answers as one that does not exist.
 */
export async function resolveBoard(
  database: Database,
  viewer: Viewer,
  kind: SubjectKind,
  id: string,
): Promise<ResolvedBoard> {
  const audience = boardAudience(viewer.role);
  if (audience === 'none') throw kind === 'alert' ? alertNotFound() : incidentNotFound();
  const scope = boardCountScope(viewer);
  if (kind === 'alert') {
    const alert = await findAlertBoardFacts(database.db, id);
    if (!alert) throw alertNotFound();
    const facts = { draftedBy: alert.drafted_by, scope: alert.scope, countries: alert.countries };
    if (!mayViewAlertBoard(viewer, facts)) throw alertNotFound();
    if (alert.issued_at === null) throw notIssued();
    return {
      subject: {
        kind,
        id,
        event: alert.event,
        headline: alert.headline,
        drill: alert.status !== 'Actual',
        issuedAt: alert.issued_at,
        alertIds: [id],
      },
      alerts: { alertIds: [id], since: alert.issued_at },
      audience,
      scope,
    };
  }
  const found = await findIncidentBoardFacts(database.db, id);
  if (!found) throw incidentNotFound();
  const visible = found.alerts.filter((a) =>
    mayViewAlertBoard(viewer, { draftedBy: a.drafted_by, scope: a.scope, countries: a.countries }),
  );
  if (found.alerts.length === 0) throw notIssued();
  const first = visible[0];
  if (!first?.issued_at) throw incidentNotFound();
  const infos = JSON.parse(found.incident.infos) as { headline?: string }[];
  return {
    subject: {
      kind,
      id,
      event: found.incident.event,
      headline: infos[0]?.headline ?? null,
      drill: visible.every((a) => a.status !== 'Actual'),
      issuedAt: first.issued_at,
      alertIds: visible.map((a) => a.id),
    },
    alerts: { alertIds: visible.map((a) => a.id), since: first.issued_at },
    audience,
    scope,
  };
}

const parseVulnerabilities = (text: string): string[] => {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
};

/**
 * Counts a resolved board: recipients in batches through the tally (vulnerabilities decrypted here,
 * counted, and dropped), then published as the viewer may see it.
 */
export async function countBoard(
  database: Database,
  board: ResolvedBoard,
  now = new Date(),
): Promise<BoardView> {
  const tally = new BoardTally(now);
  for (let after: string | null = null; ; ) {
    const rows = await findBoardPeople(database.db, board.alerts, {
      scope: board.scope,
      after,
      limit: PEOPLE_BATCH,
    });
    for (const r of rows) {
      tally.add({
        country: r.country,
        sex: r.sex,
        birthYear: r.birth_year === null ? null : Number(r.birth_year),
        h3Cell: r.h3_cell,
        vulnerabilities: parseVulnerabilities(r.vulnerabilities),
        reached: Number(r.reached) === 1,
        answer: r.answer === 'safe' || r.answer === 'need_help' ? r.answer : null,
        openHelpRequest: Number(r.open_help) === 1,
      });
    }
    if (rows.length < PEOPLE_BATCH) break;
    after = rows[rows.length - 1]!.person_id;
  }
  const figures = tally.figures();
  const people = board.audience === 'people';
  const published = people ? publishExact(figures) : suppressSmallCells(figures, SMALL_CELL_THRESHOLD);
  // Vulnerabilities (trafficking, detention, a passport held by an employer) are for those who protect
  // people: a host-state authority or an analyst gets no breakdown by them, however large the cells.
  if (!people) published.breakdowns.vulnerability = [];
  let followUps: BoardView['followUps'] = null;
  if (people) {
    const work = await countFollowUpWork(database.db, board.alerts, board.scope);
    const outcome = (o: string) => work.followUps.find((f) => f.outcome === o)?.n ?? 0;
    const calls = (s: string) => work.calls.find((c) => c.status === s)?.n ?? 0;
    followUps = {
      queued: outcome('queued'),
      noOtherChannel: outcome('no_other_channel'),
      unreachable: outcome('unreachable'),
      callListOpen: calls('open'),
      callListClosed: calls('closed'),
    };
  }
  return {
    subject: board.subject,
    audience: board.audience,
    threshold: people ? null : SMALL_CELL_THRESHOLD,
    countries: board.scope.kind === 'countries' ? [...board.scope.countries] : null,
    ...published,
    followUps,
    generatedAt: now.toISOString(),
  };
}

/** The board of an alert or an incident, as the viewer may see it. */
export async function getBoard(database: Database, viewer: Viewer, kind: SubjectKind, id: string) {
  return countBoard(database, await resolveBoard(database, viewer, kind, id));
}

/** Answers over time since the (first) issue, per minute, safe apart from need help. */
export async function getTimeline(
  database: Database,
  viewer: Viewer,
  kind: SubjectKind,
  id: string,
): Promise<TimelineView> {
  const board = await resolveBoard(database, viewer, kind, id);
  const rows = await findTimelineRows(database.db, board.alerts, board.scope);
  const timeline = buildTimeline(rows, new Date(board.alerts.since), new Date());
  return {
    subject: board.subject,
    ...(board.audience === 'people' ? timeline : suppressTimeline(timeline, SMALL_CELL_THRESHOLD)),
  };
}

/**
 * A page of the board's recipients not heard from (no answer, no open help request), within the
 * viewer's scope. Every person shown is passed through the policy and written to the audit log, in the
 * same transaction as the read.
 */
export async function getUnaccounted(
  database: Database,
  ctx: BoardContext,
  kind: SubjectKind,
  id: string,
  query: UnaccountedQuery,
): Promise<UnaccountedPage> {
  const board = await resolveBoard(database, ctx.viewer, kind, id);
  if (board.audience !== 'people') throw kind === 'alert' ? alertNotFound() : incidentNotFound();
  const limit = query.limit ?? 50;
  return database.db.transaction().execute(async (trx) => {
    const rows = await findUnaccountedPage(trx, board.alerts, {
      scope: personScope(ctx.viewer),
      after: query.cursor ?? null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit).filter((r) => {
      const decision = authorizePerson(ctx.viewer, 'board.people', {
        country: r.location_country,
        nationality: r.nationality,
        employerId: r.employer_id,
        consentedTo: [],
        emergencyOverride: false,
      });
      return decision.allow && !decision.emergency;
    });
    const states = await findDeliveryStates(
      trx,
      board.alerts,
      page.map((r) => r.person_id),
    );
    if (page.length > 0) {
      await appendAudit(trx, database.dialect, {
        actorUserId: ctx.viewer.userId,
        actorRole: ctx.viewer.role,
        action: 'board.unaccounted',
        outcome: 'allowed',
        personIds: page.map((r) => r.person_id),
        ip: ctx.ip,
        details: { kind, id, count: page.length },
      });
    }
    return {
      items: page.map((r) => ({
        personId: r.person_id,
        name: [r.given_names, r.family_name].filter(Boolean).join(' '),
        country: r.location_country,
        reached: Number(r.reached) === 1,
        onCallList: Number(r.on_call_list) === 1,
        deliveries: states
          .filter((s) => s.person_id === r.person_id)
          .map((s) => ({ channel: s.channel, state: s.state })),
      })),
      nextCursor: rows.length > limit ? (rows[limit - 1]?.person_id ?? null) : null,
    };
  });
}

/** The issued alerts and incidents whose boards the viewer may open, newest first. */
export async function listBoardSubjects(database: Database, viewer: Viewer): Promise<BoardSubjectsView> {
  const audience = boardAudience(viewer.role);
  const alerts = (await listIssuedAlerts(database.db, 200))
    .filter((a) =>
      mayViewAlertBoard(viewer, { draftedBy: a.drafted_by, scope: a.scope, countries: a.countries }),
    )
    .slice(0, 50);
  const byIncident = new Map<string, { alerts: number; firstIssuedAt: string }>();
  for (const a of alerts) {
    if (!a.incident_id || !a.issued_at) continue;
    const entry = byIncident.get(a.incident_id);
    if (!entry) byIncident.set(a.incident_id, { alerts: 1, firstIssuedAt: a.issued_at });
    else {
      entry.alerts += 1;
      if (a.issued_at < entry.firstIssuedAt) entry.firstIssuedAt = a.issued_at;
    }
  }
  const events = await findIncidentEvents(database.db, [...byIncident.keys()]);
  const hideSmall = (n: number | null) =>
    audience === 'people' || n === null || n === 0 || n >= SMALL_CELL_THRESHOLD ? n : null;
  return {
    alerts: alerts.map((a) => ({
      id: a.id,
      event: a.event,
      headline: a.headline,
      drill: a.status !== 'Actual',
      state: a.state,
      issuedAt: a.issued_at ?? '',
      incidentId: a.incident_id,
      recipients: hideSmall(a.recipient_count),
    })),
    incidents: [...byIncident].map(([id, entry]) => ({
      id,
      event: events.get(id) ?? '',
      alerts: entry.alerts,
      firstIssuedAt: entry.firstIssuedAt,
    })),
  };
}
