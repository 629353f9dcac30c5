import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { locationCell } from '../../domain/registry/location.ts';
import type { Vulnerability } from '../../domain/registry/person.ts';
import { triageHelpRequest } from '../../domain/triage/triage-help-request.ts';
import {
  HELP_REQUEST_TYPES,
  type HelpRequestType,
  type TriagePriority,
} from '../../domain/triage/triage-rules.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { alertLevelAt, coveringPost, type Point, requestCountry } from './help-request-routing.ts';
import {
  findPersonForTriage,
  insertEvent,
  insertHelpRequest,
  insertPhoto,
  listRequestsOfPerson,
} from './help-requests.repository.ts';
import { checkPhoto, type PhotoUpload } from './photo.ts';

/** How a request reached Haven. */
export const HELP_REQUEST_CHANNELS = ['web', 'sms', 'link', 'officer'] as const;
export type HelpRequestChannel = (typeof HELP_REQUEST_CHANNELS)[number];

/** The longest free text a request may carry: enough to describe a situation, short enough to read fast. */
export const MAX_HELP_TEXT_LENGTH = 2000;

export type CreateHelpRequestInput = {
  personId: string;
  type: HelpRequestType;
  isSos: boolean;
  channel: HelpRequestChannel;
  alertId?: string | null;
  location?: { lat: number; lng: number } | null;
  text?: string | null;
  /** The officer who opened it for the person; null when the person asked themselves. */
  createdBy?: string | null;
  /** A photo of the situation: JPEG, PNG or WebP, checked against its bytes. */
  photo?: PhotoUpload | null;
  now?: Date;
};

export type CreatedHelpRequest = {
  id: string;
  priority: TriagePriority;
  slaDueAt: string;
  postId: string | null;
};

const isType = (t: string): t is HelpRequestType => (HELP_REQUEST_TYPES as readonly string[]).includes(t);

/** Runs `work` in the caller's transaction, or in a new one. */
export function inTransaction<T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}

export const dialectOf = (db: Kysely<DB>) =>
  db.getExecutor().adapter instanceof PostgresAdapter ? ('postgres' as const) : ('sqlite' as const);

function checkInput(input: CreateHelpRequestInput): { text: string | null; point: Point | null } {
  if (!isType(input.type)) {
    throw new AppError(
      'help_request.type_unknown',
      `type must be one of ${HELP_REQUEST_TYPES.join(', ')}`,
      422,
    );
  }
  if (!(HELP_REQUEST_CHANNELS as readonly string[]).includes(input.channel)) {
    throw new AppError(
      'help_request.channel_unknown',
      `channel must be one of ${HELP_REQUEST_CHANNELS.join(', ')}`,
      422,
    );
  }
  const text = input.text?.trim() || null;
  if (text && [...text].length > MAX_HELP_TEXT_LENGTH) {
    throw new AppError(
      'help_request.text_too_long',
      `The text may be at most ${MAX_HELP_TEXT_LENGTH} characters`,
      422,
      { maxLength: MAX_HELP_TEXT_LENGTH },
    );
  }
  const loc = input.location ?? null;
  if (
    loc &&
    !(
      Number.isFinite(loc.lat) &&
      Number.isFinite(loc.lng) &&
      Math.abs(loc.lat) <= 90 &&
      Math.abs(loc.lng) <= 180
    )
  ) {
    throw new AppError(
      'help_request.location_invalid',
      'location needs lat in [-90, 90] and lng in [-180, 180]',
      422,
    );
  }
  if (input.photo) checkPhoto(input.photo);
  return { text, point: loc ? { lat: loc.lat, lng: loc.lng } : null };
}

/**
 * Opens a help request (or an SOS) for a person: routes it to the post covering where they are, reads
 * the alert level there, triages it from the type, the person's vulnerabilities and the level, and
 * stores it with its free text and photo encrypted, its first history event and an audit entry, all in
 * one transaction. Works inside the caller's transaction too (pass a Transaction<DB>).
 * Refuses, with a coded AppError: an unknown type or channel, text too long, a bad location, a photo
 * that is too big or not the image it claims, an unknown person or alert.
 */
export async function createHelpRequest(
  db: Kysely<DB>,
  input: CreateHelpRequestInput,
): Promise<CreatedHelpRequest> {
  const { text, point } = checkInput(input);
  const now = input.now ?? new Date();
  const dialect = dialectOf(db);
  return inTransaction(db, async (trx) => {
    const person = await findPersonForTriage(trx, input.personId);
    if (!person) throw new AppError('person.not_found', 'Person not found', 404);
    if (input.alertId) {
      const alert = await trx
        .selectFrom('alerts')
        .select('id')
        .where('id', '=', input.alertId)
        .executeTakeFirst();
      if (!alert) throw new AppError('help_request.alert_not_found', 'No such alert', 422);
    }
    const actor = input.createdBy
      ? await trx
          .selectFrom('users')
          .select(['id', 'role'])
          .where('id', '=', input.createdBy)
          .executeTakeFirst()
      : undefined;
    if (input.createdBy && !actor) throw new AppError('help_request.creator_unknown', 'No such user', 422);

    const where: Point | null =
      point ?? (person.lat !== null && person.lon !== null ? { lat: person.lat, lng: person.lon } : null);
    const country = await requestCountry(trx, person.location_country, point);
    const postId = await coveringPost(trx, country, where);
    const alertLevel = await alertLevelAt(trx, country, where, now);
    const vulnerabilities = JSON.parse(person.vulnerabilities || '[]') as Vulnerability[];
    const triage = triageHelpRequest({
      type: input.type,
      vulnerabilities,
      alertLevel,
      isSos: input.isSos,
      now,
    });

    const id = newId(now.getTime());
    const createdAt = now.toISOString();
    const slaDueAt = new Date(now.getTime() + triage.slaMinutes * 60_000).toISOString();
    await insertHelpRequest(trx, {
      id,
      person_id: person.id,
      post_id: postId,
      alert_id: input.alertId ?? null,
      type: input.type,
      is_sos: input.isSos ? 1 : 0,
      channel: input.channel,
      lat: where?.lat ?? null,
      lng: where?.lng ?? null,
      h3_cell: where ? locationCell(where.lat, where.lng) : null,
      free_text_enc: text,
      priority: triage.priority,
      score: triage.score,
      reasons: JSON.stringify(triage.reasons),
      sla_due_at: slaDueAt,
      status: 'new',
      assigned_to: null,
      referred_to: null,
      outcome: null,
      created_at: createdAt,
      updated_at: createdAt,
      closed_at: null,
    });
    await insertEvent(trx, {
      id: newId(now.getTime()),
      help_request_id: id,
      kind: 'created',
      actor_user_id: actor?.id ?? null,
      from_status: null,
      to_status: 'new',
      details: JSON.stringify({
        channel: input.channel,
        priority: triage.priority,
        alertLevel,
        isSos: input.isSos,
      }),
      notes_enc: null,
      created_at: createdAt,
    });
    if (input.photo) {
      const contentType = checkPhoto(input.photo);
      await insertPhoto(trx, {
        id: newId(now.getTime()),
        help_request_id: id,
        content_type: contentType,
        size_bytes: input.photo.bytes.length,
        photo_enc: Buffer.from(input.photo.bytes).toString('base64'),
        created_at: createdAt,
      });
    }
    await appendAudit(
      trx,
      dialect,
      {
        actorUserId: actor?.id ?? null,
        actorRole: actor?.role ?? 'person',
        action: 'help_requests.create',
        outcome: 'done',
        personIds: [person.id],
        details: { helpRequestId: id, type: input.type, sos: input.isSos, channel: input.channel },
      },
      now,
    );
    return { id, priority: triage.priority, slaDueAt, postId };
  });
}

/** A person's own help requests, newest first: what the migrant app lists under "my help requests". */
export async function listHelpRequestsOfPerson(
  db: Kysely<DB>,
  personId: string,
): Promise<
  Array<{
    id: string;
    type: string;
    isSos: boolean;
    status: string;
    priority: string;
    createdAt: string;
    closedAt: string | null;
    outcome: string | null;
  }>
> {
  const rows = await listRequestsOfPerson(db, personId);
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    isSos: r.is_sos === 1,
    status: r.status,
    priority: r.priority,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    outcome: r.outcome,
  }));
}
