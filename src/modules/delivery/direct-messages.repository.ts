// Queries of direct messages: the message itself (its text encrypted at rest by column name) and the
// outbox row that carries it.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DirectMessageTable } from './delivery.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertDirectMessage(db: Db, row: DirectMessageTable): Promise<void> {
  await db.insertInto('direct_messages').values(row).execute();
}

/** Queues the first delivery of a direct message. */
export async function insertMessageDelivery(
  db: Db,
  p: { messageId: string; personId: string; channel: string; priority: number; now: string },
): Promise<void> {
  await db
    .insertInto('deliveries')
    .values({
      alert_id: null,
      message_id: p.messageId,
      person_id: p.personId,
      partner: null,
      channel: p.channel,
      language: null,
      state: 'queued',
      priority: p.priority,
      next_attempt_at: p.now,
      created_at: p.now,
      updated_at: p.now,
    })
    .execute();
}

/** Direct messages by id, decrypted, for the worker to render. */
export async function findDirectMessages(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('direct_messages')
    .select(['id', 'purpose', 'subject_enc', 'body_enc', 'html_enc', 'channel', 'expires_at'])
    .where('id', 'in', ids)
    .execute();
}

/** The channel each direct message asked for first (null: the deployment's order). */
export async function findPreferredChannels(db: Db, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('direct_messages')
    .select(['id', 'channel'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.channel]));
}
