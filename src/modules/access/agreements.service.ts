import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { AGREEMENT_CATEGORIES } from '../../domain/access/policy.ts';
import { toAlpha2 } from '../../domain/reference/countries.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/audit.service.ts';
import type { AgreementTable } from './access.table.ts';

export type AgreementInput = {
  partnerOrganizationId: string;
  purpose: string;
  categories: string[];
  countries?: string[];
  nationalities?: string[];
  startsOn: string;
  endsOn: string;
};

export const toAgreementView = (a: AgreementTable) => ({
  id: a.id,
  partnerOrganizationId: a.partner_org_id,
  purpose: a.purpose,
  categories: JSON.parse(a.categories) as string[],
  countries: JSON.parse(a.scope_countries) as string[],
  nationalities: JSON.parse(a.scope_nationalities) as string[],
  startsOn: a.starts_on,
  endsOn: a.ends_on,
  endedAt: a.ended_at,
  createdAt: a.created_at,
});

const codes = (list: string[] | undefined, field: string) =>
  (list ?? []).map((c) => {
    const a2 = toAlpha2(c);
    if (!a2)
      throw new AppError('agreement.country_unknown', `${field} holds a code that is not ISO 3166-1`, 422);
    return a2;
  });

/** Records a data-sharing agreement with a partner organisation (international organisation, NGO). */
export async function createAgreement(
  database: Database,
  actor: { userId: string; role: string },
  input: AgreementInput,
  now = new Date(),
) {
  const { db } = database;
  const org = await db
    .selectFrom('organizations')
    .select('type')
    .where('id', '=', input.partnerOrganizationId)
    .executeTakeFirst();
  if (!org) throw new AppError('agreement.partner_not_found', 'No such organization', 422);
  if (!['international_org', 'ngo'].includes(org.type))
    throw new AppError(
      'agreement.partner_type',
      'Agreements are made with international organisations and NGOs',
      422,
    );
  const bad = input.categories.filter((c) => !(AGREEMENT_CATEGORIES as readonly string[]).includes(c));
  if (bad.length || input.categories.length === 0)
    throw new AppError(
      'agreement.category_unknown',
      `categories must be among ${AGREEMENT_CATEGORIES.join(', ')}`,
      422,
    );
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(input.startsOn) || !date.test(input.endsOn) || input.endsOn < input.startsOn) {
    throw new AppError(
      'agreement.dates_invalid',
      'startsOn and endsOn are dates (YYYY-MM-DD), ending on or after the start',
      422,
    );
  }
  if (!input.purpose.trim())
    throw new AppError('agreement.purpose_required', 'State the purpose of the agreement', 422);
  const row: AgreementTable = {
    id: newId(),
    partner_org_id: input.partnerOrganizationId,
    purpose: input.purpose.trim(),
    categories: JSON.stringify([...new Set(input.categories)]),
    scope_countries: JSON.stringify(codes(input.countries, 'countries')),
    scope_nationalities: JSON.stringify(codes(input.nationalities, 'nationalities')),
    starts_on: input.startsOn,
    ends_on: input.endsOn,
    ended_at: null,
    created_by: actor.userId,
    created_at: now.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('agreements').values(row).execute();
    await appendAudit(trx, database.dialect, {
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'agreements.create',
      outcome: 'done',
      personIds: [],
      details: { agreementId: row.id },
    });
  });
  return toAgreementView(row);
}

export async function endAgreement(
  database: Database,
  actor: { userId: string; role: string },
  id: string,
  now = new Date(),
) {
  return database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('agreement.not_found', 'Agreement not found', 404);
    if (row.ended_at) throw new AppError('agreement.already_ended', 'The agreement has already ended', 409);
    await trx.updateTable('agreements').set({ ended_at: now.toISOString() }).where('id', '=', id).execute();
    await appendAudit(trx, database.dialect, {
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'agreements.end',
      outcome: 'done',
      personIds: [],
      details: { agreementId: id },
    });
    return toAgreementView({ ...row, ended_at: now.toISOString() });
  });
}

export const listAgreements = (db: Kysely<DB>) =>
  db.selectFrom('agreements').selectAll().orderBy('created_at', 'desc').limit(500).execute();
