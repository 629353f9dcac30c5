import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { GroupCommitWriter } from './group-commit.ts';
import { openHelpRequestFor } from './help.ts';
import { insertLinkResponses, insertLinkResponsesPrepared } from './responses.repository.ts';
import type { Answer } from './responses.service.ts';
import type { ResponseSettings } from './responses.settings.ts';

/** One answer given through a reply link (the token has been checked). */
export type LinkReply = { personId: string; alertId: string; answer: Answer; receivedAt: Date };

/** What became of it: stored (with the language the person reads the alert in), or refused. */
export type LinkReplyResult =
  | { ok: true; responseId: string; language: string | null; helpRequestId: string | null }
  | { ok: false; code: 'reply.not_found' };

export type LinkReplyWriter = GroupCommitWriter<LinkReply, LinkReplyResult>;

/**
 * Writes a batch of link replies atomically: one statement stores the answers (one round trip, its own
 * transaction); when some say "need help", that statement and a help request for each run in one
 * transaction. A reply from a person who no longer exists (erased after the link was sent) is refused on
 * its own; any error fails the whole batch, and nothing of it is stored.
 */
export async function writeLinkReplies(
  database: Pick<Database, 'db' | 'pool'>,
  items: readonly LinkReply[],
): Promise<LinkReplyResult[]> {
  const { db, pool } = database;
  const rows = items.map((item) => ({
    id: newId(item.receivedAt.getTime()),
    person_id: item.personId,
    alert_id: item.alertId,
    answer: item.answer,
    received_at: item.receivedAt.toISOString(),
  }));
  const write = async (trx: Kysely<DB>): Promise<LinkReplyResult[]> => {
    const createdAt = new Date().toISOString();
    // Answers that open no help request need no transaction around their one statement: on
    // PostgreSQL it then runs as a prepared statement straight on the pool.
    const inserted =
      pool && trx === db
        ? await insertLinkResponsesPrepared(pool, rows, createdAt)
        : await insertLinkResponses(trx, rows, createdAt);
    const stored = new Map(inserted.map((r) => [r.id, r.language]));
    const results: LinkReplyResult[] = [];
    for (const [index, item] of items.entries()) {
      const id = rows[index]!.id;
      if (!stored.has(id)) {
        results.push({ ok: false, code: 'reply.not_found' });
        continue;
      }
      const helpRequestId =
        item.answer === 'need_help'
          ? await openHelpRequestFor(trx, {
              personId: item.personId,
              alertId: item.alertId,
              channel: 'link',
              now: item.receivedAt,
            })
          : null;
      results.push({ ok: true, responseId: id, language: stored.get(id) ?? null, helpRequestId });
    }
    return results;
  };
  return items.some((i) => i.answer === 'need_help') ? db.transaction().execute(write) : write(db);
}

/** The group-commit writer of link replies for an open database. */
export function createLinkReplyWriter(database: Database, settings: ResponseSettings): LinkReplyWriter {
  const concurrency = settings.batchConcurrency ?? (database.dialect === 'sqlite' ? 1 : 2);
  return new GroupCommitWriter((items) => writeLinkReplies(database, items), {
    maxBatch: settings.batchMax,
    maxWaitMs: settings.batchWaitMs,
    maxInFlight: concurrency,
  });
}
