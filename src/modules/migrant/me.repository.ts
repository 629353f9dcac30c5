import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The person's own summary, or undefined when the person no longer exists (erased). */
export async function findMyProfile(db: Kysely<DB>, personId: string) {
  const person = await db
    .selectFrom('persons')
    .select(['given_names', 'family_name', 'location_country'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) return undefined;
  const languages = await db
    .selectFrom('person_languages')
    .select('language')
    .where('person_id', '=', personId)
    .orderBy('rank')
    .execute();
  return {
    givenNames: person.given_names,
    familyName: person.family_name,
    country: person.location_country,
    languages: languages.map((l) => l.language),
  };
}

/** The issued alerts the person was a recipient of, newest first. */
export function findMyAlerts(db: Kysely<DB>, personId: string, limit: number) {
  return db
    .selectFrom('alert_recipients as r')
    .innerJoin('alerts as a', 'a.id', 'r.alert_id')
    .select([
      'a.id',
      'a.status',
      'a.msg_type',
      'a.level',
      'a.event',
      'a.severity',
      'a.urgency',
      'a.expires_at',
      'a.closed_at',
      'a.ask_response',
      'r.language as recipient_language',
    ])
    .select((eb) => eb.fn.coalesce('a.issued_at', 'a.created_at').as('issued_at'))
    .where('r.person_id', '=', personId)
    .where('a.issued_at', 'is not', null)
    .orderBy('a.issued_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}

export type InfoBlock = {
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
};

/** The info blocks of these alerts, by alert, in their order. */
export async function findMyAlertInfos(
  db: Kysely<DB>,
  alertIds: string[],
): Promise<Map<string, InfoBlock[]>> {
  const out = new Map<string, InfoBlock[]>();
  if (alertIds.length === 0) return out;
  const rows = await db
    .selectFrom('alert_infos')
    .select(['alert_id', 'language', 'headline', 'description', 'instruction'])
    .where('alert_id', 'in', alertIds)
    .orderBy('alert_id')
    .orderBy('position')
    .execute();
  for (const { alert_id, ...block } of rows) out.set(alert_id, [...(out.get(alert_id) ?? []), block]);
  return out;
}

/** The person's latest answer to each of these alerts. */
export async function findMyLatestAnswers(db: Kysely<DB>, personId: string, alertIds: string[]) {
  const out = new Map<string, { answer: string; received_at: string }>();
  if (alertIds.length === 0) return out;
  const rows = await db
    .selectFrom('responses')
    .select(['alert_id', 'answer', 'received_at'])
    .where('person_id', '=', personId)
    .where('alert_id', 'in', alertIds)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  for (const row of rows) if (row.alert_id) out.set(row.alert_id, row);
  return out;
}

/** Whether the alert was sent (issued) to the person. */
export async function isRecipientOf(db: Kysely<DB>, personId: string, alertId: string): Promise<boolean> {
  const row = await db
    .selectFrom('alert_recipients as r')
    .innerJoin('alerts as a', 'a.id', 'r.alert_id')
    .select('r.alert_id')
    .where('r.person_id', '=', personId)
    .where('r.alert_id', '=', alertId)
    .where('a.issued_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** The latest issued alert that targeted the person, whether or not a message reached them yet. */
export async function latestAlertTargeting(db: Kysely<DB>, personId: string): Promise<string | null> {
  const [row] = await findMyAlerts(db, personId, 1);
  return row?.id ?? null;
}
