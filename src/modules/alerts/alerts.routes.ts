import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import {
  AlertCancelBody,
  AlertCreate,
  AlertListQuery,
  AlertListView,
  AlertPatch,
  AlertUpdateBody,
  AlertView,
  IssueView,
  PreviewBody,
  PreviewView,
  RejectBody,
} from './alerts.schema.ts';
import {
  type AlertsContext,
  type AlertsEnv,
  approveAlert,
  changeDraft,
  draftAlert,
  draftFollowUp,
  getAlertCapXml,
  getAlertView,
  issueAlert,
  listAlertViews,
  previewRecipients,
  rejectAlert,
  submitAlert,
} from './alerts.service.ts';

const tags = ['alerts'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const IdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });

const context = (req: FastifyRequest): AlertsContext => ({ viewer: viewerOf(req).viewer, ip: req.ip });

/**
 * Alerts: compose (with the live recipient count), submit, approve or reject, issue (freezing the
 * recipients), update and cancel, and each alert's CAP 1.2 document.
 */
export const alertRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database, config }) => {
  const env: AlertsEnv = { database, settings: config.alerts };

  app.post('/api/alerts/preview-count', {
    config: { action: 'alerts.draft' },
    schema: {
      tags,
      summary: 'How many people a target reaches, by country: the live count while composing',
      description:
        '422 target.empty for a target with no country, area, polygon or circle; geo.* codes for bad shapes.',
      body: PreviewBody,
      response: { 200: PreviewView, ...errors },
    },
    handler: async (req) => previewRecipients(env, context(req), req.body.target),
  });

  app.post('/api/alerts', {
    config: { action: 'alerts.draft' },
    schema: {
      tags,
      summary: 'Draft an alert',
      description:
        'One info block per language; each SMS text is counted in segments (422 alert.sms_too_long over the limit). ' +
        'A consular officer drafts only for the countries of the post (403 alert.outside_jurisdiction).',
      body: AlertCreate,
      response: { 201: AlertView, ...errors },
    },
    handler: async (req, reply) => reply.code(201).send(await draftAlert(env, context(req), req.body)),
  });

  app.get('/api/alerts', {
    config: { action: 'alerts.read' },
    schema: {
      tags,
      summary: 'Alerts, newest first (a post sees its jurisdiction and its own drafts)',
      querystring: AlertListQuery,
      response: { 200: AlertListView, ...errors },
    },
    handler: async (req) => listAlertViews(env, context(req), req.query),
  });

  app.get('/api/alerts/:id', {
    config: { action: 'alerts.read' },
    schema: { tags, params: IdParams, response: { 200: AlertView, ...errors } },
    handler: async (req) => getAlertView(env, context(req), req.params.id),
  });

  app.patch('/api/alerts/:id', {
    config: { action: 'alerts.draft' },
    schema: {
      tags,
      summary: 'Change a draft (409 alert.not_draft once submitted)',
      params: IdParams,
      body: AlertPatch,
      response: { 200: AlertView, ...errors },
    },
    handler: async (req) => changeDraft(env, context(req), req.params.id, req.body),
  });

  app.post('/api/alerts/:id/submit', {
    config: { action: 'alerts.draft' },
    schema: {
      tags,
      summary: 'Submit a draft for approval',
      params: IdParams,
      response: { 200: AlertView, ...errors },
    },
    handler: async (req) => submitAlert(env, context(req), req.params.id),
  });

  app.post('/api/alerts/:id/approve', {
    config: { action: 'alerts.approve' },
    schema: {
      tags,
      summary: 'Approve a submitted alert',
      description:
        'An Actual alert needs a second person: 403 alert.same_approver for its drafter or submitter. A drill (Exercise) may be approved by its author.',
      params: IdParams,
      response: { 200: AlertView, ...errors },
    },
    handler: async (req) => approveAlert(env, context(req), req.params.id),
  });

  app.post('/api/alerts/:id/reject', {
    config: { action: 'alerts.approve' },
    schema: {
      tags,
      summary: 'Send a submitted alert back to draft, with the reason',
      params: IdParams,
      body: RejectBody,
      response: { 200: AlertView, ...errors },
    },
    handler: async (req) => rejectAlert(env, context(req), req.params.id, req.body.reason),
  });

  app.post('/api/alerts/:id/issue', {
    config: { action: 'alerts.issue' },
    schema: {
      tags,
      summary: 'Issue an approved alert: its recipients are frozen for delivery',
      description:
        '409 alert.not_approved before approval. The report counts recipients per language and those who got a fallback language.',
      params: IdParams,
      response: { 200: IssueView, ...errors },
    },
    handler: async (req) => issueAlert(env, context(req), req.params.id),
  });

  app.post('/api/alerts/:id/update', {
    config: { action: 'alerts.draft' },
    schema: {
      tags,
      summary: 'Draft an Update of an issued alert (CAP references the original)',
      description:
        'Fields not given are the original’s. The Update goes through the same lifecycle; issuing it supersedes the original.',
      params: IdParams,
      body: AlertUpdateBody,
      response: { 201: AlertView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await draftFollowUp(env, context(req), req.params.id, 'Update', req.body)),
  });

  app.post('/api/alerts/:id/cancel', {
    config: { action: 'alerts.draft' },
    schema: {
      tags,
      summary: 'Draft a Cancel of an issued alert (CAP references the original)',
      description: 'The texts say the alert is called off; issuing the Cancel cancels the original.',
      params: IdParams,
      body: AlertCancelBody,
      response: { 201: AlertView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await draftFollowUp(env, context(req), req.params.id, 'Cancel', req.body)),
  });

  app.get('/api/alerts/:id/cap.xml', {
    config: { action: 'alerts.read' },
    schema: {
      tags,
      summary: 'The alert as a CAP 1.2 document (status Draft until issued)',
      params: IdParams,
      response: { 200: Type.String({ description: 'application/cap+xml' }), ...errors },
    },
    handler: async (req, reply) =>
      reply
        .type('application/cap+xml; charset=utf-8')
        .send(await getAlertCapXml(env, context(req), req.params.id)),
  });
};
