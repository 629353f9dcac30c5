import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import { recordReceipt } from './delivery.receipts.ts';
import { DeliveryStatusView, PersonDeliveriesView, ReceiptAnswer } from './delivery.schema.ts';
import { checkAlertVisible, getDeliveryStatus, getPersonDeliveries } from './delivery.service.ts';
import { installDeliverySettings } from './delivery.settings.ts';
import { DeliveryStreams } from './delivery.streams.ts';

const tags = ['delivery'];
const errors = { 401: Problem, 403: Problem, 404: Problem };
const IdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });

/** A receipt's body as received: the exact text the signature covers, and its fields. */
type RawBody = { raw: string; fields: Record<string, unknown> | null };

function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Delivery status of an alert (counts by channel and state, live over server-sent events) and a person's history. */
export const deliveryRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database, config }) => {
  installDeliverySettings(config.delivery);
  const streams = new DeliveryStreams(database);
  app.addHook('onClose', async () => streams.closeAll());

  app.get('/api/alerts/:id/delivery', {
    config: { action: 'delivery.read' },
    schema: {
      tags,
      summary: 'Delivery of an alert: counts by channel and state, fan-out progress, dead letters by reason',
      params: IdParams,
      response: { 200: DeliveryStatusView, ...errors },
    },
    handler: async (req) => getDeliveryStatus(database, viewerOf(req).viewer, req.params.id),
  });

  app.get('/api/alerts/:id/delivery/stream', {
    config: { action: 'delivery.read' },
    schema: {
      tags,
      summary: 'The same counts, live: server-sent events',
      description:
        'A `status` event (data: the JSON of GET /api/alerts/{id}/delivery) at once and whenever the counts change, checked every second; a comment line every 15 s keeps the connection open.',
      params: IdParams,
      produces: ['text/event-stream'],
      response: { 200: Type.String({ description: 'text/event-stream' }), ...errors },
    },
    handler: async (req, reply) => {
      await checkAlertVisible(database, viewerOf(req).viewer, req.params.id);
      reply.hijack();
      streams.open(req.params.id, req.raw, reply.raw);
    },
  });

  await app.register(async (webhook) => {
    // The signature covers the exact bytes sent, so bodies are kept raw and read here.
    webhook.removeAllContentTypeParsers();
    webhook.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) =>
        done(null, { raw: body as string, fields: parseObject(body as string) } satisfies RawBody),
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
    webhook.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/delivery/receipts/:provider',
      {
        config: { action: 'public' },
        schema: {
          tags,
          summary: "An SMS gateway's delivery receipt (signed)",
          description:
            "`twilio`: a status callback (form: MessageSid, MessageStatus, ErrorCode) signed with X-Twilio-Signature. `generic`: JSON {id, status, code} signed with X-Haven-Timestamp and X-Haven-Signature under HAVEN_SMS_HTTP_RECEIPT_SECRET. `delivered` marks the sent message delivered; `failed`, `undelivered` and `expired` mark it failed and try the person's next channel; other statuses are ignored. A receipt for an id no sent message carries yet is held (202, receipt.unknown_message) and applied if one appears within an hour.",
          params: Type.Object({ provider: Type.String({ maxLength: 40 }) }),
          response: { 200: ReceiptAnswer, 202: ReceiptAnswer, 400: Problem, 401: Problem, 404: Problem },
        },
      },
      async (req, reply) => {
        const body = (req.body ?? { raw: '', fields: null }) as RawBody;
        const result = await recordReceipt(database, config.delivery, {
          provider: req.params.provider,
          url: req.url,
          headers: req.headers,
          raw: body.raw,
          fields: body.fields,
        });
        return reply.code(result.result === 'held' ? 202 : 200).send(result);
      },
    );
  });

  app.get('/api/persons/:id/deliveries', {
    config: { action: 'delivery.read' },
    schema: {
      tags,
      summary: "A person's deliveries, newest first (audited)",
      description: 'Which alerts reached the person, on which channel, and how. No addresses are shown.',
      params: IdParams,
      response: { 200: PersonDeliveriesView, ...errors },
    },
    handler: async (req) =>
      getPersonDeliveries(database, { viewer: viewerOf(req).viewer, ip: req.ip }, req.params.id),
  });
};
