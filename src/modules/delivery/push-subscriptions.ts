// A person's Web Push subscriptions. Each is a contact of kind `push` whose value is the subscription's
// JSON, so fan-out and channel order treat it like a phone or an e-mail address, and the push channel
// reads it as the row is claimed. An endpoint names one browser's subscription: it belongs to one person
// at a time (unique among push contacts, migration 0072). A subscription the push service answers
// 404/410 for is removed by the worker that learns it.
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';

/** A browser's PushSubscription, as `subscription.toJSON()` gives it (without expirationTime). */
export type PushSubscriptionInput = { endpoint: string; keys: { p256dh: string; auth: string } };

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const invalid = (field: string, message: string) =>
  new AppError('push_subscription.invalid', message, 422, { field });

/** The subscription checked and in its stored form: endpoint, then keys, nothing else. */
function canonical(subscription: PushSubscriptionInput): string {
  const { endpoint, keys } = subscription;
  if (typeof endpoint !== 'string' || endpoint.length > 2048 || !URL.canParse(endpoint))
    throw invalid('endpoint', 'endpoint must be a URL');
  if (new URL(endpoint).protocol !== 'https:') throw invalid('endpoint', 'endpoint must be an https URL');
  // p256dh: an uncompressed P-256 point (65 bytes); auth: a 16-byte secret (RFC 8291), both base64url.
  const p256dh = keys?.p256dh;
  const auth = keys?.auth;
  if (typeof p256dh !== 'string' || !BASE64URL.test(p256dh) || Buffer.from(p256dh, 'base64url').length !== 65)
    throw invalid('keys.p256dh', 'keys.p256dh must be a P-256 public key in base64url');
  if (typeof auth !== 'string' || !BASE64URL.test(auth) || Buffer.from(auth, 'base64url').length !== 16)
    throw invalid('keys.auth', 'keys.auth must be a 16-byte secret in base64url');
  return JSON.stringify({ endpoint, keys: { p256dh, auth } });
}

/** The endpoint of a push contact's value, as indexed by migration 0072. */
const endpointOf = (db: Kysely<DB>) =>
  db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<string>`(cast(value as jsonb) ->> 'endpoint')`
    : sql<string>`json_extract(value, '$.endpoint')`;

/**
 * Stores a person's push subscription (their consent is the browser's permission). Saving the same
 * endpoint again updates its keys; an endpoint another person held moves to this one (the browser is
 * now theirs). Answers the contact's id. Works inside the caller's transaction.
 */
export async function savePushSubscription(
  db: Kysely<DB>,
  personId: string,
  subscription: PushSubscriptionInput,
): Promise<{ id: string }> {
  const value = canonical(subscription);
  const existing = await db
    .selectFrom('contacts')
    .select(['id', 'person_id'])
    .where('kind', '=', 'push')
    .where(endpointOf(db), '=', subscription.endpoint)
    .executeTakeFirst();
  if (existing && existing.person_id === personId) {
    await db.updateTable('contacts').set({ value, consent: 1 }).where('id', '=', existing.id).execute();
    return { id: existing.id };
  }
  if (existing) await db.deleteFrom('contacts').where('id', '=', existing.id).execute();
  const { rank } = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.coalesce(eb.fn.max('rank'), eb.lit(-1)).as('rank'))
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  const id = newId();
  await db
    .insertInto('contacts')
    .values({
      id,
      person_id: personId,
      kind: 'push',
      value,
      verified: 1,
      consent: 1,
      rank: Number(rank) + 1,
      created_at: new Date().toISOString(),
    })
    .execute();
  return { id };
}

/** Removes one of a person's push subscriptions by its endpoint; false when they had none there. */
export async function removePushSubscription(
  db: Kysely<DB>,
  personId: string,
  endpoint: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('contacts')
    .where('person_id', '=', personId)
    .where('kind', '=', 'push')
    .where(endpointOf(db), '=', endpoint)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
