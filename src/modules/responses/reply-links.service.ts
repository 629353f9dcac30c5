import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { findLatestAnswer } from './responses.repository.ts';
import type { Answer } from './responses.service.ts';

/** What the confirm page of a reply link shows. */
export type ReplyView = {
  /** The language of the alert text this person was sent (null when not frozen for them). */
  language: string | null;
  headline: string | null;
  headlineLanguage: string | null;
  cancelled: boolean;
  current: Answer | null;
};

/**
 * Reads what a valid token's confirm page needs: the headline in the language the person was sent,
 * whether the alert was cancelled since (answers still count), and the answer already given. Null when
 * the person or the alert no longer exists.
 */
export async function loadReplyView(
  db: Kysely<DB>,
  claims: { alertId: string; personId: string },
): Promise<ReplyView | null> {
  const [alert, person, recipient, infos, latest] = await Promise.all([
    db.selectFrom('alerts').select(['state']).where('id', '=', claims.alertId).executeTakeFirst(),
    db.selectFrom('persons').select('id').where('id', '=', claims.personId).executeTakeFirst(),
    db
      .selectFrom('alert_recipients')
      .select('language')
      .where('alert_id', '=', claims.alertId)
      .where('person_id', '=', claims.personId)
      .executeTakeFirst(),
    db
      .selectFrom('alert_infos')
      .select(['language', 'headline'])
      .where('alert_id', '=', claims.alertId)
      .orderBy('position')
      .execute(),
    findLatestAnswer(db, claims.personId, claims.alertId),
  ]);
  if (!alert || !person) return null;
  const language = recipient?.language ?? null;
  const info = infos.find((i) => i.language === language) ?? infos[0];
  return {
    language,
    headline: info?.headline ?? null,
    headlineLanguage: info?.language ?? null,
    cancelled: alert.state === 'cancelled',
    current: latest ? (latest.answer as Answer) : null,
  };
}
