import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../channels/webhook.ts';
import { AppError } from '../../errors.ts';
import { Problem } from '../../http/problem.ts';
import { requestContext } from '../registry/persons.routes.ts';
import { replySecretSource } from '../responses/reply-secret-source.ts';
import { listInboundAs } from './inbound.access.ts';
import { InboundAccepted, InboundListQuery, InboundPage } from './inbound.schema.ts';
import { type InboundContext, inboundNumberKey, receiveInboundSms } from './inbound.service.ts';

/** The body as received: the exact bytes the signature covers, and the fields read from them. */
type RawBody = { raw: string; fields: Record<string, unknown> | null };

const SIGNATURE_STATUS = {
  'webhook.signature_malformed': 400,
  'webhook.signature_stale': 401,
  'webhook.signature_invalid': 401,
} as const;

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

// A gateway's body is never trusted to be small: texts beyond ten thousand characters are refused.
const MAX_TEXT = 10_000;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The message in either shape gateways post: Haven's JSON ({from, to, text, id}) or a form with
 * Twilio's field names (From, To, Body, MessageSid). Refuses a body that carries no sender or no text.
 */
function messageOf(fields: Record<string, unknown> | null) {
  const from = str(fields?.from) ?? str(fields?.From);
  const text = str(fields?.text) ?? str(fields?.Body);
  const to = str(fields?.to) ?? str(fields?.To);
  const id = str(fields?.id) ?? str(fields?.MessageSid) ?? str(fields?.SmsSid);
  const problems: { field: string; message: string }[] = [];
  if (!from || from.length > 64)
    problems.push({
      field: 'from',
      message: 'the sender number (from / From) is required, at most 64 characters',
    });
  if (text === undefined || text.length > MAX_TEXT)
    problems.push({ field: 'text', message: 'the text (text / Body) is required, at most 10000 characters' });
  if (id !== undefined && id.length > 128) problems.push({ field: 'id', message: 'at most 128 characters' });
  if (to !== undefined && to.length > 64) problems.push({ field: 'to', message: 'at most 64 characters' });
  if (problems.length > 0 || !from || text === undefined) {
    throw new AppError('inbound.malformed', 'The body is not an inbound message', 400, { errors: problems });
  }
  return { from, text, to: to ?? null, id: id ?? null };
}

/**
 * SMS replies arriving through an HTTP gateway's webhook, and the officers' list of the messages nobody
 * could read. The webhook is public but must be signed: X-Haven-Timestamp and X-Haven-Signature
 * (`v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`) under HAVEN_SMS_INBOUND_SECRET, the scheme of Haven's
 * own outgoing webhooks. An unsigned, stale or wrongly signed request stores nothing.
 */
export const inboundRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { config, database }) => {
  const settings = config.responses;
  const replySecret = replySecretSource(database, config);
  const flood = { maxPerWindow: settings.floodMax, windowSeconds: settings.floodWindowSeconds };

  await app.register(async (webhook) => {
    // The signature covers the exact bytes sent, so bodies are kept raw and read here.
    webhook.removeAllContentTypeParsers();
    webhook.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) =>
        done(null, { raw: body as string, fields: parseJson(body as string) } satisfies RawBody),
    );
    webhook.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) =>
        done(null, {
          raw: body as string,
          fields: Object.fromEntries(new URLSearchParams(body as string)),
        } satisfies RawBody),
    );

    webhook.post(
      '/api/inbound/sms',
      {
        config: { action: 'public' },
        schema: {
          tags: ['responses'],
          summary: "An SMS gateway's inbound webhook: one text message a person sent (signed)",
          description:
            'JSON {from, to, text, id} or a form with From, To, Body, MessageSid; signed with X-Haven-Timestamp and X-Haven-Signature.',
          response: { 200: InboundAccepted, 400: Problem, 401: Problem, 415: Problem, 503: Problem },
        },
      },
      async (req) => {
        if (!settings.inboundSecret) {
          throw new AppError(
            'inbound.not_configured',
            'This deployment takes no SMS through a gateway webhook',
            503,
          );
        }
        const body = (req.body ?? { raw: '', fields: null }) as RawBody;
        const timestamp = req.headers[TIMESTAMP_HEADER.toLowerCase()];
        const signature = req.headers[SIGNATURE_HEADER.toLowerCase()];
        if (typeof timestamp !== 'string' || typeof signature !== 'string') {
          throw new AppError(
            'webhook.signature_missing',
            `Sign the request (${TIMESTAMP_HEADER}, ${SIGNATURE_HEADER})`,
            401,
          );
        }
        const check = verifyWebhookSignature(settings.inboundSecret, timestamp, body.raw, signature, {
          toleranceSeconds: settings.inboundToleranceSeconds,
        });
        if (!check.ok)
          throw new AppError(
            check.code,
            'The signature is not valid for this body and time',
            SIGNATURE_STATUS[check.code],
          );
        const message = messageOf(body.fields);
        const secret = replySecret.current() ?? (await replySecret.load());
        if (!secret)
          throw new AppError('inbound.unavailable', 'Inbound messages cannot be read just now', 503);
        const context: InboundContext = { numberKey: inboundNumberKey(secret), flood };
        const result = await receiveInboundSms(database.db, context, {
          channel: 'http',
          from: message.from,
          to: message.to,
          text: message.text,
          providerId: message.id,
        });
        req.log.info({ outcome: result.outcome, duplicate: result.duplicate }, 'inbound.received');
        return { id: result.id, outcome: result.outcome, duplicate: result.duplicate };
      },
    );
  });

  app.get(
    '/api/inbound/messages',
    {
      config: { action: 'responses.record' },
      schema: {
        tags: ['responses'],
        summary: 'Inbound SMS by outcome (default: unrecognised), newest first (an audited read)',
        querystring: InboundListQuery,
        response: { 200: InboundPage, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => listInboundAs(database, requestContext(req), req.query),
  );
};
