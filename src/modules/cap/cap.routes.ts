import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { AlertView } from '../alerts/alerts.schema.ts';
import { type AlertsEnv, getPublicCapXml, listPublicAlertEntries } from '../alerts/alerts.service.ts';
import {
  DraftFromIncidentBody,
  FeedQuery,
  IncidentIdParams,
  IncidentListQuery,
  IncidentListView,
  IncidentView,
  PublicCapParams,
} from './cap.schema.ts';
import {
  CAP_IMPORT_MAX_BYTES,
  draftAlertFromIncident,
  getIncidentOriginal,
  getIncidentView,
  importCapMessage,
  listIncidentViews,
} from './cap.service.ts';
import { type FeedEntry, renderAtomFeed } from './cap-feed.ts';

const tags = ['cap'];
const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  413: Problem,
  415: Problem,
  422: Problem,
};
const XML_TYPES = ['application/xml', 'application/cap+xml', 'text/xml', 'text/plain'];

/** The address this server was reached at, for absolute links in the feed. */
const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/**
 * CAP import from host-country agencies (incidents, and alerts drafted from them), and the public CAP
 * feed of issued alerts.
 */
export const capRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database, config }) => {
  const env: AlertsEnv = { database, settings: config.alerts };

  // In this plugin only: CAP documents arrive as XML (or plain text), up to the CAP size limit.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    XML_TYPES,
    { parseAs: 'string', bodyLimit: CAP_IMPORT_MAX_BYTES },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.post('/api/cap/import', {
    config: { action: 'cap.import' },
    bodyLimit: CAP_IMPORT_MAX_BYTES,
    schema: {
      tags,
      summary:
        'Import a CAP 1.1 or 1.2 message as an incident (Content-Type: application/cap+xml, application/xml or text/plain)',
      description:
        'DTDs and entities are refused (422 cap.dtd_forbidden) and nothing is ever fetched. 409 cap.duplicate for a message ' +
        '(sender, identifier, sent) already imported. Areas that fail the geometry checks are reported on the incident, not fatal.',
      body: {
        content: Object.fromEntries(XML_TYPES.map((t) => [t, { schema: Type.String() }])),
      } as never,
      response: { 201: IncidentView, ...errors },
    },
    handler: async (req, reply) => {
      const body = req.body as unknown;
      if (typeof body !== 'string') {
        throw new AppError(
          'request.unsupported_media_type',
          'Send the CAP document with Content-Type: application/cap+xml',
          415,
        );
      }
      const incident = await importCapMessage(database, body, {
        via: 'api',
        viewer: viewerOf(req).viewer,
        ip: req.ip,
      });
      return reply.code(201).send(incident);
    },
  });

  app.get('/api/cap/incidents', {
    config: { action: 'alerts.read' },
    schema: {
      tags,
      summary: 'Imported incidents, newest first',
      querystring: IncidentListQuery,
      response: { 200: IncidentListView, ...errors },
    },
    handler: async (req) => listIncidentViews(database, req.query),
  });

  app.get('/api/cap/incidents/:id', {
    config: { action: 'alerts.read' },
    schema: {
      tags,
      summary: 'An incident with its areas, the proposed target and how many people it reaches now',
      params: IncidentIdParams,
      response: { 200: IncidentView, ...errors },
    },
    handler: async (req) => getIncidentView(database, req.params.id),
  });

  app.get('/api/cap/incidents/:id/original.xml', {
    config: { action: 'alerts.read' },
    schema: {
      tags,
      summary: 'The CAP document as the agency sent it',
      params: IncidentIdParams,
      response: { 200: Type.String({ description: 'application/xml' }), ...errors },
    },
    handler: async (req, reply) =>
      reply
        .type('application/xml; charset=utf-8')
        .header('Content-Disposition', 'attachment')
        .send(await getIncidentOriginal(database, req.params.id)),
  });

  app.post('/api/cap/incidents/:id/draft-alert', {
    config: { action: 'alerts.draft' },
    schema: {
      tags,
      summary: 'Draft an alert from an incident: its texts and areas, changed where the body says',
      params: IncidentIdParams,
      body: DraftFromIncidentBody,
      response: { 201: AlertView, ...errors },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(
          await draftAlertFromIncident(
            env,
            { viewer: viewerOf(req).viewer, ip: req.ip },
            req.params.id,
            req.body ?? {},
          ),
        ),
  });

  // Public and read-only: issued Public alerts only, nothing about recipients.
  app.get('/public/cap/feed.atom', {
    config: { action: 'public' },
    schema: {
      tags: ['public'],
      summary: 'Atom feed of issued public alerts (drills listed, marked, only with ?drills=include)',
      querystring: FeedQuery,
      produces: ['application/atom+xml'],
      response: { 200: Type.String({ description: 'application/atom+xml' }) },
    },
    handler: async (req, reply) => {
      const includeDrills = req.query.drills === 'include';
      const alerts = await listPublicAlertEntries(env, { includeDrills });
      const base = origin(req);
      const entries: FeedEntry[] = alerts.map((a) => {
        const drill = a.status === 'Exercise';
        const prefix = `${drill ? '[EXERCISE] ' : ''}${a.msgType === 'Alert' ? '' : `${a.msgType.toUpperCase()}: `}`;
        return {
          id: a.identifier,
          title: `${prefix}${a.headline}`,
          updated: a.issuedAt,
          link: `${base}/public/cap/alerts/${encodeURIComponent(a.identifier)}.xml`,
          summary: [
            drill ? 'Exercise: this is a drill, not a real alert.' : '',
            `${a.event} (${a.severity}, ${a.urgency})`,
            a.description ?? '',
          ]
            .filter((s) => s !== '')
            .join(' '),
          categories: [a.status, a.msgType, ...a.countries],
        };
      });
      const xml = renderAtomFeed({
        id: `urn:haven:${env.settings.deployment}:cap-feed${includeDrills ? ':with-drills' : ''}`,
        title: `Haven alerts (${env.settings.deployment})${includeDrills ? ', drills included' : ''}`,
        self: `${base}/public/cap/feed.atom${includeDrills ? '?drills=include' : ''}`,
        author: env.settings.sender,
        updated: alerts[0]?.issuedAt ?? new Date().toISOString(),
        entries,
      });
      return reply
        .header('Cache-Control', 'public, max-age=60')
        .type('application/atom+xml; charset=utf-8')
        .send(xml);
    },
  });

  app.get('/public/cap/alerts/:identifier.xml', {
    config: { action: 'public' },
    schema: {
      tags: ['public'],
      summary: 'The CAP 1.2 document of an issued public alert',
      params: PublicCapParams,
      produces: ['application/cap+xml'],
      response: { 200: Type.String({ description: 'application/cap+xml' }), 404: Problem },
    },
    handler: async (req, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=60')
        .type('application/cap+xml; charset=utf-8')
        .send(await getPublicCapXml(env, req.params.identifier)),
  });
};
