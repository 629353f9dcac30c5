import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import { DeliveryStatusView, PersonDeliveriesView } from './delivery.schema.ts';
import { checkAlertVisible, getDeliveryStatus, getPersonDeliveries } from './delivery.service.ts';
import { currentDeliverySettings } from './delivery.settings.ts';
import { DeliveryStreams } from './delivery.streams.ts';

const tags = ['delivery'];
const errors = { 401: Problem, 403: Problem, 404: Problem };
const IdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });

/** Delivery status of an alert (counts by channel and state, live over server-sent events) and a person's history. */
export const deliveryRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  // Bad delivery settings stop the start-up here, not the first issue.
  currentDeliverySettings();
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
