/**
 * Shared by the delivery tests and the fan-out benchmark (not used by the application): a synthetic
 * world written straight into the database (an organisation, an account, people with contacts, issued
 * alerts with their frozen recipients), and settings tuned for fast tests.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { type EnqueueResult, enqueueDeliveries } from './delivery.fanout.ts';
import { type DeliverySettings, deliverySettingsFrom } from './delivery.settings.ts';

/** Settings for tests: no rate limits, short polls, leases and backoff; nothing configured. */
export function testSettings(over: Partial<DeliverySettings> = {}): DeliverySettings {
  const base = deliverySettingsFrom({
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_DELIVERY_POLL_MS: '20',
    HAVEN_DELIVERY_LEASE_MS: '2000',
    HAVEN_DELIVERY_RETRY_BASE_MS: '10',
    HAVEN_DELIVERY_RETRY_MAX_MS: '40',
    HAVEN_DELIVERY_MAX_ATTEMPTS: '5',
    HAVEN_SMS_RATE: '0',
    HAVEN_EMAIL_RATE: '0',
    HAVEN_PUSH_RATE: '0',
    HAVEN_WEBHOOK_RATE: '0',
    HAVEN_REPLY_TOKEN_SECRET: Buffer.alloc(32, 7).toString('base64'),
  });
  return { ...base, ...over };
}

/** Creates the organisation and account that synthetic alerts are drafted by; answers the user id. */
export async function seedAuthor(db: Kysely<DB>): Promise<string> {
  const now = new Date().toISOString();
  const orgId = newId();
  await db
    .insertInto('organizations')
    .values({
      id: orgId,
      name: 'Ministry (synthetic)',
      type: 'origin_state',
      country: 'PH',
      created_at: now,
      updated_at: now,
    })
    .execute();
  const userId = newId();
  await db
    .insertInto('users')
    .values({
      id: userId,
      email: `author-${userId.slice(-8)}@test.example.org`,
      organization_id: orgId,
      post_id: null,
      role: 'hq_admin',
      password_hash: 'not-a-hash',
      must_change_password: 0,
      totp_secret_enc: null,
      totp_enabled: 0,
      totp_last_step: null,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return userId;
}

/** A synthetic person's contacts: kind (phone, email, push), value, consent (default given). */
export type SyntheticContact = { kind: 'phone' | 'email' | 'push'; value: string; consent?: boolean };

/** Inserts synthetic people with their contacts; answers their ids in order. */
export async function seedPeople(
  db: Kysely<DB>,
  people: { country?: string; contacts: SyntheticContact[] }[],
): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = people.map(() => newId());
  for (let start = 0; start < people.length; start += 500) {
    const slice = people.slice(start, start + 500);
    await db
      .insertInto('persons')
      .values(
        slice.map((p, i) => ({
          id: ids[start + i]!,
          external_ref: null,
          given_names: `Synthetic ${start + i}`,
          family_name: null,
          name_search: `synthetic ${start + i}`,
          sex: 'female',
          birth_date: null,
          birth_year: null,
          nationality: 'PH',
          lat: null,
          lon: null,
          location_country: p.country ?? 'AE',
          address: null,
          h3_cell: null,
          household_id: null,
          household_role: null,
          employer_id: null,
          vulnerabilities: '[]',
          document_status: 'unknown',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const contacts = slice.flatMap((p, i) =>
      p.contacts.map((c, rank) => ({
        id: newId(),
        person_id: ids[start + i]!,
        kind: c.kind,
        value: c.value,
        verified: 1,
        consent: c.consent === false ? 0 : 1,
        rank,
        created_at: now,
      })),
    );
    if (contacts.length > 0) await db.insertInto('contacts').values(contacts).execute();
  }
  return ids;
}

/** One language block of a synthetic alert. */
export type SyntheticInfo = { language: string; headline: string; smsText: string; description?: string };

export const ENGLISH_INFO: SyntheticInfo = {
  language: 'en',
  headline: 'Armed clashes in the city',
  smsText: 'Embassy alert: armed clashes. Stay indoors. Reply SAFE or HELP.',
  description: 'Stay indoors, away from windows.',
};

/**
 * Inserts an issued alert with its info blocks and frozen recipients (each reading `languageOf` their
 * index, default the first block), without queuing deliveries. Answers the alert id.
 */
export async function seedIssuedAlert(
  db: Kysely<DB>,
  p: {
    author: string;
    recipients: string[];
    status?: 'Actual' | 'Exercise';
    level?: number | null;
    scope?: 'Public' | 'Restricted';
    infos?: SyntheticInfo[];
    countries?: string[];
    languageOf?: (index: number) => string;
    expiresAt?: string | null;
  },
): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  const infos = p.infos ?? [ENGLISH_INFO];
  await db
    .insertInto('alerts')
    .values({
      id,
      identifier: `urn:haven:test:alert:${id}`,
      sender: 'urn:haven:test',
      status: p.status ?? 'Actual',
      msg_type: 'Alert',
      scope: p.scope ?? 'Public',
      restriction: p.scope === 'Restricted' ? 'staff' : null,
      state: 'issued',
      cap_references: '[]',
      follows_alert_id: null,
      categories: '["Security"]',
      event: 'Armed clashes',
      urgency: 'Immediate',
      severity: 'Severe',
      certainty: 'Likely',
      response_types: '["Shelter"]',
      effective: null,
      expires: null,
      expires_at: p.expiresAt ?? null,
      target: '{"countries":["AE"]}',
      ask_response: 1,
      post_id: null,
      level: p.level ?? null,
      incident_id: null,
      sent: now,
      drafted_by: p.author,
      created_at: now,
      updated_at: now,
      submitted_by: null,
      submitted_at: null,
      approved_by: null,
      approved_at: null,
      rejected_by: null,
      rejected_at: null,
      rejection_reason: null,
      issued_by: p.author,
      issued_at: now,
      closed_at: null,
      closed_by_alert_id: null,
      recipient_count: p.recipients.length,
      issue_report: null,
    })
    .execute();
  await db
    .insertInto('alert_infos')
    .values(
      infos.map((info, position) => ({
        alert_id: id,
        position,
        language: info.language,
        headline: info.headline,
        description: info.description ?? null,
        instruction: null,
        sms_text: info.smsText,
      })),
    )
    .execute();
  await db
    .insertInto('alert_countries')
    .values((p.countries ?? ['AE']).map((country) => ({ alert_id: id, country })))
    .execute();
  for (let start = 0; start < p.recipients.length; start += 1000) {
    await db
      .insertInto('alert_recipients')
      .values(
        p.recipients.slice(start, start + 1000).map((personId, i) => ({
          alert_id: id,
          person_id: personId,
          language: p.languageOf?.(start + i) ?? infos[0]!.language,
          matched_by: 'preferred',
          country: 'AE',
        })),
      )
      .execute();
  }
  return id;
}

/** Queues an alert's deliveries as issuing it does, in a transaction of its own. */
export function enqueue(
  db: Kysely<DB>,
  alertId: string,
  settings: DeliverySettings,
  now?: Date,
): Promise<EnqueueResult> {
  return db
    .transaction()
    .execute((trx) => enqueueDeliveries(trx, alertId, { settings, ...(now ? { now } : {}) }));
}

/** Deliveries of an alert, oldest first. */
export function deliveriesOf(db: Kysely<DB>, alertId: string) {
  return db.selectFrom('deliveries').selectAll().where('alert_id', '=', alertId).orderBy('id').execute();
}

/** Resolves when `predicate` holds, checking every 20 ms; rejects after `timeoutMs`. */
export async function eventually(
  predicate: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every delivery of the alert has left the queue (sent, delivered, failed or dead). */
export async function allSettled(db: Kysely<DB>, alertId: string): Promise<boolean> {
  const open = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('alert_id', '=', alertId)
    .where('state', 'in', ['queued', 'sending'])
    .executeTakeFirstOrThrow();
  return Number(open.n) === 0;
}
