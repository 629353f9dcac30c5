import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import {
  type Action,
  authorizePerson,
  type Decision,
  FIELD_CATEGORIES,
  type FieldCategory,
  type PersonFacts,
  personScope,
  type Viewer,
} from '../../domain/access/policy.ts';
import { ageBand, type PersonInput } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import {
  findAccessFacts,
  findPersonsByIds,
  type PersonRecord,
  searchPersonIds,
} from './persons.repository.ts';
import {
  createPerson,
  deletePerson,
  type PersonSearch,
  splitPage,
  toPersonFilter,
  updatePerson,
} from './persons.service.ts';

const ALL_FIELDS: ReadonlySet<FieldCategory> = new Set(FIELD_CATEGORIES);

/** Who is asking, from where, and why: what every audited use case needs. */
export type RequestContext = { viewer: Viewer; ip: string | null; purpose?: string | null };

export type VisibleRecord = { record: PersonRecord; fields: ReadonlySet<FieldCategory>; emergency: boolean };

// "Not yours" and "does not exist" get the same answer, so nobody can probe for records.
const notFound = () => new AppError('person.not_found', 'Person not found', 404);

async function factsFor(
  trx: Transaction<DB>,
  records: PersonRecord[],
  viewer: Viewer,
): Promise<Map<string, PersonFacts>> {
  const ids = records.map((r) => r.person.id);
  const { consents, overrides } = await findAccessFacts(trx, ids, viewer, new Date().toISOString());
  const latest = new Map<string, (typeof consents)[number]>();
  for (const c of consents) latest.set(c.person_id, c); // ordered by time: the last one wins
  const override = new Set(overrides.map((o) => o.person_id));
  return new Map(
    records.map((r) => {
      const c = latest.get(r.person.id);
      return [
        r.person.id,
        {
          country: r.person.location_country,
          nationality: r.person.nationality,
          employerId: r.person.employer_id,
          consentedTo: c && c.status === 'granted' ? [c.organization_id] : [],
          emergencyOverride: override.has(r.person.id),
        },
      ];
    }),
  );
}

async function denyAndAudit(
  database: Database,
  ctx: RequestContext,
  action: Action,
  personId: string,
  decision: Decision & { reason?: string },
) {
  await recordAudit(database.db, database.dialect, {
    actorUserId: ctx.viewer.userId,
    actorRole: ctx.viewer.role,
    action,
    outcome: 'denied',
    personIds: [personId],
    purpose: ctx.purpose ?? null,
    ip: ctx.ip,
    details: { reason: decision.allow ? 'none' : (decision.reason ?? decision.code) },
  });
}

/** Reads one person as the viewer may see them, and writes the read to the audit log in the same transaction. */
export async function readPerson(
  database: Database,
  ctx: RequestContext,
  id: string,
): Promise<VisibleRecord> {
  const outcome = await database.db.transaction().execute(async (trx) => {
    const [record] = await findPersonsByIds(trx, [id]);
    if (!record) return { missing: true as const };
    const facts = (await factsFor(trx, [record], ctx.viewer)).get(id)!;
    const decision = authorizePerson(ctx.viewer, 'persons.read', facts);
    if (!decision.allow) return { denied: decision as Decision & { reason?: string } };
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'persons.read',
      outcome: 'allowed',
      personIds: [id],
      purpose: ctx.purpose ?? decision.purpose ?? null,
      ip: ctx.ip,
      emergency: decision.emergency === true,
      details: { fields: [...decision.fields].sort().join(',') },
    });
    return { visible: { record, fields: decision.fields, emergency: decision.emergency === true } };
  });
  if ('missing' in outcome) throw notFound();
  if ('denied' in outcome && outcome.denied) {
    await denyAndAudit(database, ctx, 'persons.read', id, outcome.denied);
    throw notFound();
  }
  if (!('visible' in outcome) || !outcome.visible) throw notFound();
  return outcome.visible;
}

/**
 * Lists persons matching a search, within the viewer's scope; every listed person is passed through
 * the policy for their fields, and the list itself is audited with the ids it revealed.
 */
export async function searchVisiblePersons(
  database: Database,
  ctx: RequestContext,
  search: PersonSearch,
): Promise<{ items: VisibleRecord[]; nextCursor: string | null }> {
  const filter = { ...toPersonFilter(search), scope: personScope(ctx.viewer) };
  return database.db.transaction().execute(async (trx) => {
    const ids = await searchPersonIds(trx, filter);
    const { page, nextCursor } = splitPage(ids, filter);
    const records = await findPersonsByIds(trx, page);
    const facts = await factsFor(trx, records, ctx.viewer);
    const items: VisibleRecord[] = [];
    for (const record of records) {
      const d = authorizePerson(ctx.viewer, 'persons.read', facts.get(record.person.id)!);
      if (d.allow && !d.emergency) items.push({ record, fields: d.fields, emergency: false });
    }
    if (items.length > 0) {
      await appendAudit(trx, database.dialect, {
        actorUserId: ctx.viewer.userId,
        actorRole: ctx.viewer.role,
        action: 'persons.list',
        outcome: 'allowed',
        personIds: items.map((i) => i.record.person.id),
        purpose: ctx.purpose ?? null,
        ip: ctx.ip,
        details: { count: items.length },
      });
    }
    return {
      items,
      nextCursor,
    };
  });
}

function checkWriteScope(viewer: Viewer, country: string | null | undefined) {
  if (viewer.role !== 'consular_officer') return;
  if (!country || !viewer.jurisdiction.includes(country)) {
    throw new AppError(
      'access.outside_jurisdiction',
      "The person's location must be a country of your post's jurisdiction",
      403,
    );
  }
}

async function writable(database: Database, ctx: RequestContext, id: string, action: Action): Promise<void> {
  const [record] = await findPersonsByIds(database.db, [id]);
  if (!record) throw notFound();
  const facts = await database.db.transaction().execute((trx) => factsFor(trx, [record], ctx.viewer));
  const d = authorizePerson(ctx.viewer, action, facts.get(id)!);
  if (!d.allow || d.emergency) {
    await denyAndAudit(database, ctx, action, id, d);
    throw notFound();
  }
}

const auditDone = (
  database: Database,
  ctx: RequestContext,
  action: string,
  personId: string,
  details: Record<string, string> = {},
) =>
  database.db.transaction().execute((trx) =>
    appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action,
      outcome: 'done',
      personIds: [personId],
      purpose: ctx.purpose ?? null,
      ip: ctx.ip,
      details,
    }),
  );

export async function createPersonAs(database: Database, ctx: RequestContext, input: PersonInput) {
  const country = input.location?.country ? input.location.country.toUpperCase() : null;
  const { toAlpha2 } = await import('../../domain/reference/countries.ts');
  checkWriteScope(ctx.viewer, country ? (toAlpha2(country) ?? country) : null);
  const record = await createPerson(database.db, input);
  await auditDone(database, ctx, 'persons.create', record.person.id);
  return { record, fields: ALL_FIELDS, emergency: false };
}

export async function updatePersonAs(
  database: Database,
  ctx: RequestContext,
  id: string,
  patch: Partial<PersonInput>,
) {
  await writable(database, ctx, id, 'persons.write');
  const record = await updatePerson(database.db, id, patch);
  checkWriteScope(ctx.viewer, record.person.location_country);
  await auditDone(database, ctx, 'persons.update', id, { fields: Object.keys(patch).sort().join(',') });
  return { record, fields: ALL_FIELDS, emergency: false };
}

export async function deletePersonAs(database: Database, ctx: RequestContext, id: string) {
  await writable(database, ctx, id, 'persons.write');
  await deletePerson(database.db, id);
  await auditDone(database, ctx, 'persons.delete', id);
}

/**
 * Erases a person irreversibly: the record, contacts, languages, consents, overrides, deliveries,
 * answers, help requests and everything hanging on them go; an
 * anonymous tombstone (country, nationality, sex, age band) keeps aggregates true. The audit entry
 * names the erased id and the reason, never the erased data.
 */
export async function erasePerson(
  database: Database,
  ctx: RequestContext,
  id: string,
  reason: string,
): Promise<void> {
  if (!reason.trim()) throw new AppError('erasure.reason_required', 'State the reason for the erasure', 422);
  await writable(database, ctx, id, 'persons.erase');
  await database.db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom('persons')
      .select(['location_country', 'nationality', 'sex', 'birth_year'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!p) throw notFound();
    await trx
      .insertInto('erased_persons')
      .values({
        id: newId(),
        erased_at: new Date().toISOString(),
        location_country: p.location_country,
        nationality: p.nationality,
        sex: p.sex,
        age_band: ageBand(p.birth_year, new Date()),
      })
      .execute();
    // The outbox has no foreign key (it would cost more than the insert); its rows go with the person.
    await trx.deleteFrom('deliveries').where('person_id', '=', id).execute();
    // Answers and help requests (with their history, notes and photos) are the person's own words.
    const requests = trx.selectFrom('help_requests').select('id').where('person_id', '=', id);
    await trx.deleteFrom('help_request_events').where('help_request_id', 'in', requests).execute();
    await trx.deleteFrom('help_request_photos').where('help_request_id', 'in', requests).execute();
    await trx.deleteFrom('help_requests').where('person_id', '=', id).execute();
    await trx.deleteFrom('responses').where('person_id', '=', id).execute();
    await trx.deleteFrom('persons').where('id', '=', id).execute();
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'persons.erase',
      outcome: 'done',
      personIds: [id],
      purpose: reason.trim().slice(0, 500),
      ip: ctx.ip,
      details: {},
    });
  });
  // Old page images of the erased rows may sit in the write-ahead log until a checkpoint: force one.
  if (database.sqlite) database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
}

/** Records a person's consent to share with partners (one partner, or all under an agreement), granted or withdrawn. */
export async function recordConsent(
  database: Database,
  ctx: RequestContext,
  id: string,
  input: { status: 'granted' | 'withdrawn'; channel: string; organizationId?: string | null },
) {
  await writable(database, ctx, id, 'persons.write');
  if (input.organizationId) {
    const org = await database.db
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', input.organizationId)
      .executeTakeFirst();
    if (!org) throw new AppError('consent.organization_not_found', 'No such organization', 422);
  }
  const row = {
    id: newId(),
    person_id: id,
    organization_id: input.organizationId ?? null,
    status: input.status,
    channel: input.channel,
    recorded_by: ctx.viewer.userId,
    recorded_at: new Date().toISOString(),
  };
  await database.db.transaction().execute(async (trx) => {
    await trx.insertInto('consents').values(row).execute();
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: `consents.${input.status}`,
      outcome: 'done',
      personIds: [id],
      ip: ctx.ip,
      details: { organizationId: input.organizationId ?? null, channel: input.channel },
    });
  });
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    organizationId: row.organization_id,
    recordedAt: row.recorded_at,
  };
}

export const MAX_OVERRIDE_MINUTES = 240;

/**
 * The life-saving exception: access to one person without agreement or jurisdiction, for a stated
 * reason and a limited time, flagged in the audit log.
 */
export async function openEmergencyAccess(
  database: Database,
  ctx: RequestContext,
  id: string,
  input: { reason: string; minutes?: number },
) {
  const reason = input.reason.trim();
  if (reason.length < 10)
    throw new AppError(
      'override.reason_required',
      'State the life-saving reason (at least 10 characters)',
      422,
    );
  const minutes = input.minutes ?? 60;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_OVERRIDE_MINUTES) {
    throw new AppError(
      'override.duration_invalid',
      `An emergency override lasts 1 to ${MAX_OVERRIDE_MINUTES} minutes`,
      422,
    );
  }
  const exists = await database.db.selectFrom('persons').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + minutes * 60_000).toISOString();
  await database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('emergency_overrides')
      .values({
        id: newId(),
        user_id: ctx.viewer.userId,
        person_id: id,
        reason,
        created_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'overrides.create',
      outcome: 'done',
      personIds: [id],
      purpose: reason.slice(0, 500),
      ip: ctx.ip,
      emergency: true,
      details: { minutes },
    });
  });
  return { personId: id, expiresAt };
}
