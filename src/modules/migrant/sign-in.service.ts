import { randomInt } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { normalizeEmail, normalizePhone } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { hashPassword } from '../access/auth.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { queueDirectMessage } from '../delivery/direct-messages.ts';
import { MIGRANT_ROLE } from './migrant-auth.ts';
import { type MigrantSessionInfo, openMigrantSession } from './migrant-session.ts';
import { signInLanguage, signInMessage } from './sign-in-message.ts';

/** How long a code works. */
export const CODE_TTL_MINUTES = 10;
/** Wrong codes tried against one code before it stops working. */
export const MAX_CODE_ATTEMPTS = 5;
/**
 * Codes one contact may be sent: a few in a short window (a slow SMS, a typo), and a daily cap that
 * bounds guessing: at most 50 tries a day against one contact, a 1 in 20,000 chance.
 */
export const CONTACT_LIMITS = [
  { codes: 3, windowMinutes: 15 },
  { codes: 10, windowMinutes: 24 * 60 },
] as const;
/** Codes asked for from one client address in 15 minutes: generous, as many phones share one address. */
export const ADDRESS_LIMIT = { codes: 30, windowMinutes: 15 } as const;

export type Contact = { kind: 'phone' | 'email'; value: string };

/** Reads a phone number (international format) or an e-mail address, normalised as the registry stores it. */
export function parseContact(raw: string): Contact {
  const text = raw.trim();
  if (text.includes('@')) {
    const email = normalizeEmail(text);
    if (email) return { kind: 'email', value: email };
  } else {
    const phone = normalizePhone(text.replace(/^00/, '+'));
    if (phone) return { kind: 'phone', value: phone };
  }
  throw new AppError(
    'me.contact_invalid',
    'Enter a phone number with its country code (such as +971…) or an e-mail address',
    422,
  );
}

const contactKey = (c: Contact) => sha256Hex(`${c.kind}:${c.value}`);
const addressKey = (ip: string | null) => (ip ? sha256Hex(`ip:${ip}`) : null);
const minutesBefore = (now: Date, minutes: number) =>
  new Date(now.getTime() - minutes * 60_000).toISOString();

async function codesSince(db: Kysely<DB>, column: 'contact_key' | 'ip_key', key: string, since: string) {
  const row = await db
    .selectFrom('migrant_sign_in_codes')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('first')])
    .where(column, '=', key)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), first: row.first as string | null };
}

/** Seconds until a code may be asked for again, or 0 when it may now. */
async function waitBeforeNextCode(
  db: Kysely<DB>,
  contact: string,
  address: string | null,
  now: Date,
): Promise<number> {
  const limits = [
    ...CONTACT_LIMITS.map((l) => ({ ...l, column: 'contact_key' as const, key: contact })),
    ...(address ? [{ ...ADDRESS_LIMIT, column: 'ip_key' as const, key: address }] : []),
  ];
  let wait = 0;
  for (const limit of limits) {
    const { count, first } = await codesSince(
      db,
      limit.column,
      limit.key,
      minutesBefore(now, limit.windowMinutes),
    );
    if (count >= limit.codes && first) {
      const freeAt = new Date(first).getTime() + limit.windowMinutes * 60_000;
      wait = Math.max(wait, Math.ceil((freeAt - now.getTime()) / 1000));
    }
  }
  return wait;
}

/** The registered person a contact belongs to (the earliest registered, when people share one). */
async function personWithContact(db: Kysely<DB>, contact: Contact) {
  return db
    .selectFrom('contacts')
    .innerJoin('persons', 'persons.id', 'contacts.person_id')
    .select(['persons.id'])
    .where('contacts.kind', '=', contact.kind)
    .where('contacts.value', '=', contact.value)
    .orderBy('persons.created_at')
    .orderBy('persons.id')
    .limit(1)
    .executeTakeFirst();
}

async function firstLanguageOf(db: Kysely<DB>, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('person_languages')
    .select('language')
    .where('person_id', '=', personId)
    .orderBy('rank')
    .limit(1)
    .executeTakeFirst();
  return row?.language ?? null;
}

export type CodeRequest = { contact: string; language?: string | null; ip: string | null };
export type CodeRequestOutcome = { sent: true; expiresInSeconds: number } | { retryAfterSeconds: number };

/**
 * Sends a 6-digit sign-in code to a registered contact through the delivery outbox. The outcome is the
 * same whether or not anyone has the contact (a code is drawn, hashed and stored either way), so the
 * answer says nothing about who is registered. Rate-limited per contact and per client address.
 */
export async function requestSignInCode(
  database: Database,
  request: CodeRequest,
  options: { webOtpHost?: string | null } = {},
  now = new Date(),
): Promise<CodeRequestOutcome> {
  const { db } = database;
  const contact = parseContact(request.contact);
  const key = contactKey(contact);
  const ip = addressKey(request.ip);
  const wait = await waitBeforeNextCode(db, key, ip, now);
  if (wait > 0) return { retryAfterSeconds: wait };

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const codeHash = await hashPassword(code);
  const person = await personWithContact(db, contact);
  const channel = contact.kind === 'phone' ? 'sms' : 'email';
  const expiresAt = new Date(now.getTime() + CODE_TTL_MINUTES * 60_000);
  await db.transaction().execute(async (trx) => {
    // Old rows go: they only served the limits, whose longest window is a day.
    await trx
      .deleteFrom('migrant_sign_in_codes')
      .where('expires_at', '<', minutesBefore(now, 24 * 60))
      .execute();
    // Only the newest code works: one asked for again replaces the one before.
    await trx
      .updateTable('migrant_sign_in_codes')
      .set({ used_at: now.toISOString() })
      .where('contact_key', '=', key)
      .where('used_at', 'is', null)
      .execute();
    let queued = false;
    if (person) {
      const language = signInLanguage([request.language, await firstLanguageOf(trx, person.id)]);
      const message = signInMessage(language, code, CODE_TTL_MINUTES, {
        webOtpHost: channel === 'sms' ? options.webOtpHost : null,
      });
      const result = await queueDirectMessage(trx, {
        personId: person.id,
        purpose: 'sign_in_code',
        subject: message.subject,
        text: message.text,
        channel,
        priority: 'urgent',
        expiresAt,
      });
      queued = result.queued;
    }
    await trx
      .insertInto('migrant_sign_in_codes')
      .values({
        id: newId(),
        contact_key: key,
        person_id: person?.id ?? null,
        channel: queued ? channel : null,
        code_hash: codeHash,
        ip_key: ip,
        attempts: 0,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        used_at: null,
      })
      .execute();
    await appendAudit(trx, database.dialect, {
      actorUserId: null,
      actorRole: MIGRANT_ROLE,
      action: 'self.sign_in_code',
      outcome: person && queued ? 'done' : 'denied',
      personIds: person ? [person.id] : [],
      ip: request.ip,
      details: person ? { channel, queued } : { reason: 'unknown_contact' },
    });
  });
  return { sent: true, expiresInSeconds: CODE_TTL_MINUTES * 60 };
}

const codeInvalid = (attemptsLeft: number) =>
  new AppError('me.code_invalid', 'The code is wrong; check the message and try again', 401, {
    attemptsLeft,
  });

/**
 * Checks a code and, when it is right, opens a migrant session. A code works once, for
 * CODE_TTL_MINUTES, and stops working after MAX_CODE_ATTEMPTS wrong tries; a contact nobody has gets the
 * same answers as one somebody has.
 */
export async function verifySignInCode(
  database: Database,
  input: { contact: string; code: string; ip: string | null },
  now = new Date(),
): Promise<{ personId: string; session: MigrantSessionInfo }> {
  const { db } = database;
  const contact = parseContact(input.contact);
  const code = input.code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(code))
    throw new AppError('me.code_malformed', 'The code is the 6 digits in the message', 422);
  const key = contactKey(contact);
  const row = await db
    .selectFrom('migrant_sign_in_codes')
    .selectAll()
    .where('contact_key', '=', key)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw codeInvalid(0);
  if (row.expires_at <= now.toISOString())
    throw new AppError('me.code_expired', 'The code has expired; ask for a new one', 401);
  const exceeded = () =>
    new AppError('me.code_attempts_exceeded', 'Too many wrong codes; ask for a new one', 429);
  if (row.attempts >= MAX_CODE_ATTEMPTS) throw exceeded();
  // The try is counted before the code is checked, so parallel guesses cannot pass the limit.
  const counted = await db
    .updateTable('migrant_sign_in_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('attempts', '<', MAX_CODE_ATTEMPTS)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(counted.numUpdatedRows) === 0) throw exceeded();
  const matches = await argon2.verify(row.code_hash, code).catch(() => false);
  const attemptsLeft = MAX_CODE_ATTEMPTS - row.attempts - 1;
  if (!matches || row.person_id === null) {
    if (row.person_id !== null) {
      await db.transaction().execute((trx) =>
        appendAudit(trx, database.dialect, {
          actorUserId: null,
          actorRole: MIGRANT_ROLE,
          action: 'self.sign_in',
          outcome: 'denied',
          personIds: [row.person_id!],
          ip: input.ip,
          details: { reason: 'wrong_code', attemptsLeft },
        }),
      );
    }
    throw attemptsLeft > 0 ? codeInvalid(attemptsLeft) : exceeded();
  }
  const personId = row.person_id;
  const session = await db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('migrant_sign_in_codes')
      .set({ used_at: now.toISOString() })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    // Another request used the code first: a code opens one session only.
    if (Number(used.numUpdatedRows) === 0) throw codeInvalid(0);
    const opened = await openMigrantSession(trx, personId, now);
    await appendAudit(trx, database.dialect, {
      actorUserId: null,
      actorRole: MIGRANT_ROLE,
      action: 'self.sign_in',
      outcome: 'allowed',
      personIds: [personId],
      ip: input.ip,
      details: {},
    });
    return opened;
  });
  return { personId, session };
}
