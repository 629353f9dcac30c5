import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { PersonFacts, Viewer } from '../../domain/access/policy.ts';
import { authorizeHelpRequest, type HelpRequestAccess } from '../../domain/triage/help-request-access.ts';
import { AppError } from '../../errors.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import { findAccessFacts } from '../registry/persons.repository.ts';
import type { HelpRequestRow } from './cases.table.ts';
import { findHelpRequest, findJurisdictions, findPersonNames } from './help-requests.repository.ts';

/** Who is asking, from where, and why: what every audited use case needs. */
export type CaseContext = { viewer: Viewer; ip: string | null; purpose?: string | null };

export type Allowed = Extract<HelpRequestAccess, { allow: true }>;

/** The person behind a request as access sees them: the facts the policy needs, and the name. */
export type PersonOfRequest = { id: string; name: string; facts: PersonFacts };

// "Not yours" and "does not exist" get the same answer, so nobody can probe for requests.
export const helpRequestNotFound = () =>
  new AppError('help_request.not_found', 'Help request not found', 404);

const fullName = (p: { given_names: string; family_name: string | null }) =>
  [p.given_names, p.family_name].filter(Boolean).join(' ');

/** The persons behind requests, with what the viewer's access depends on (latest consent wins). */
export async function loadPersons(
  trx: Transaction<DB>,
  ids: readonly string[],
  viewer: Pick<Viewer, 'userId' | 'organizationId'>,
  now: Date,
): Promise<Map<string, PersonOfRequest>> {
  const unique = [...new Set(ids)];
  const rows = await findPersonNames(trx, unique);
  const { consents, overrides } = await findAccessFacts(trx, unique, viewer, now.toISOString());
  const latest = new Map<string, (typeof consents)[number]>();
  for (const c of consents) latest.set(c.person_id, c); // ordered by time: the last one wins
  const override = new Set(overrides.map((o) => o.person_id));
  return new Map(
    rows.map((p) => {
      const c = latest.get(p.id);
      return [
        p.id,
        {
          id: p.id,
          name: fullName(p),
          facts: {
            country: p.location_country,
            nationality: p.nationality,
            employerId: p.employer_id,
            consentedTo: c && c.status === 'granted' ? [c.organization_id] : [],
            emergencyOverride: override.has(p.id),
          },
        },
      ];
    }),
  );
}

/** Decides access to each request of a batch; requests whose person is gone are left out. */
export async function accessToRequests(
  trx: Transaction<DB>,
  viewer: Viewer,
  rows: readonly HelpRequestRow[],
  now: Date,
): Promise<Map<string, { access: HelpRequestAccess; person: PersonOfRequest }>> {
  const persons = await loadPersons(
    trx,
    rows.map((r) => r.person_id),
    viewer,
    now,
  );
  const postIds = [...new Set(rows.flatMap((r) => (r.post_id ? [r.post_id] : [])))];
  const jurisdictions = await findJurisdictions(trx, postIds);
  const out = new Map<string, { access: HelpRequestAccess; person: PersonOfRequest }>();
  for (const row of rows) {
    const person = persons.get(row.person_id);
    if (!person) continue;
    const postCountries = row.post_id ? (jurisdictions.get(row.post_id) ?? []) : [];
    const access = authorizeHelpRequest(viewer, { referredTo: row.referred_to, postCountries }, person.facts);
    out.set(row.id, { access, person });
  }
  return out;
}

export type Loaded = { row: HelpRequestRow; access: Allowed; person: PersonOfRequest };

/**
 * Runs `work` on one request inside a transaction, once the viewer's access to it is settled. A missing
 * request and one the viewer may not see both answer 404 `help_request.not_found`; the refusal is
 * audited with its reason. A refusal `work` raises itself (403) is audited the same way.
 */
export async function withHelpRequest<T>(
  database: Database,
  ctx: CaseContext,
  id: string,
  action: string,
  work: (trx: Transaction<DB>, loaded: Loaded) => Promise<T>,
  options: { lock?: boolean; now?: Date } = {},
): Promise<T> {
  const now = options.now ?? new Date();
  let refusal: { personId: string; reason: string } | undefined;
  try {
    const outcome = await database.db.transaction().execute(async (trx) => {
      const row = await findHelpRequest(trx, id, options.lock === true);
      if (!row) return { missing: true as const };
      const decided = (await accessToRequests(trx, ctx.viewer, [row], now)).get(row.id);
      if (!decided) return { missing: true as const };
      if (!decided.access.allow) {
        refusal = { personId: row.person_id, reason: decided.access.reason };
        return { missing: true as const };
      }
      try {
        return { value: await work(trx, { row, access: decided.access, person: decided.person }) };
      } catch (err) {
        if (err instanceof AppError && err.status === 403)
          refusal = { personId: row.person_id, reason: err.code };
        throw err;
      }
    });
    if ('missing' in outcome) throw helpRequestNotFound();
    return outcome.value;
  } finally {
    if (refusal) {
      await recordAudit(database.db, database.dialect, {
        actorUserId: ctx.viewer.userId,
        actorRole: ctx.viewer.role,
        action,
        outcome: 'denied',
        personIds: [refusal.personId],
        purpose: ctx.purpose ?? null,
        ip: ctx.ip,
        details: { helpRequestId: id, reason: refusal.reason },
      });
    }
  }
}

/** Writes one audit entry about a request in the action's transaction. */
export function auditRequest(
  trx: Transaction<DB>,
  database: Database,
  ctx: CaseContext,
  e: {
    action: string;
    outcome: 'allowed' | 'done';
    personId: string;
    helpRequestId: string;
    access: Allowed;
    details?: Record<string, string | number | boolean | null>;
  },
  now: Date,
) {
  return appendAudit(
    trx,
    database.dialect,
    {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: e.action,
      outcome: e.outcome,
      personIds: [e.personId],
      purpose: ctx.purpose ?? e.access.purpose ?? null,
      ip: ctx.ip,
      emergency: e.access.emergency,
      details: { helpRequestId: e.helpRequestId, ...(e.details ?? {}) },
    },
    now,
  );
}
