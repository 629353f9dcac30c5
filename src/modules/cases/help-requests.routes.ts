import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import {
  addHelpRequestNote,
  assignHelpRequest,
  closeHelpRequest,
  openHelpRequestFor,
  referHelpRequest,
  setHelpRequestStatus,
} from './help-requests.actions.ts';
import type { CaseContext } from './help-requests.context.ts';
import {
  listAssignees,
  listReferralPartners,
  readHelpRequest,
  readHelpRequestPhoto,
  readQueue,
} from './help-requests.reads.ts';
import {
  AssignBody,
  AssigneeList,
  CloseBody,
  HelpRequestDetail,
  IdParams,
  NoteBody,
  OpenBody,
  QueueQuery,
  QueueView,
  ReferBody,
  StatusBody,
} from './help-requests.schema.ts';
import { MAX_PHOTO_BYTES } from './photo.ts';

const tags = ['help requests'];
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

/** Who asks and why, for the audit log. The purpose header is optional free text, kept short. */
function caseContext(req: FastifyRequest): CaseContext {
  const purpose = req.headers['x-haven-purpose'];
  return {
    viewer: viewerOf(req).viewer,
    ip: req.ip,
    purpose: typeof purpose === 'string' ? purpose.slice(0, 200) : null,
  };
}

// A base64 photo at the size limit, plus room for the rest of the request.
const OPEN_BODY_LIMIT = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64 * 1024;

const PartnerList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      type: Type.String(),
      eligible: Type.Boolean(),
      refusal: Type.Union([Type.Literal('no_agreement'), Type.Literal('no_consent'), Type.Null()]),
    }),
  ),
});

/** Help requests and SOS: the posts' queues, each request's page, and the steps that work it to a close. */
export const helpRequestRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  app.get('/api/help-requests', {
    config: { action: 'cases.read' },
    schema: {
      tags,
      summary: 'A queue of help requests, most urgent first, with SLA state and triage reasons (audited)',
      querystring: QueueQuery,
      response: { 200: QueueView, ...errors },
    },
    handler: (req) => readQueue(database, caseContext(req), req.query),
  });

  app.get('/api/help-requests/:id', {
    config: { action: 'cases.read' },
    schema: {
      tags,
      summary: 'One help request: details, why its priority, notes and history (audited)',
      params: IdParams,
      response: { 200: HelpRequestDetail, ...errors },
    },
    handler: (req) => readHelpRequest(database, caseContext(req), req.params.id),
  });

  app.get('/api/help-requests/:id/photo', {
    config: { action: 'cases.read' },
    schema: {
      tags,
      summary: 'The photo sent with a help request (audited)',
      params: IdParams,
      produces: ['image/jpeg', 'image/png', 'image/webp'],
      response: {
        200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The image' }),
        ...errors,
      },
    },
    handler: async (req, reply) => {
      const photo = await readHelpRequestPhoto(database, caseContext(req), req.params.id);
      return reply
        .type(photo.contentType)
        .header('Cache-Control', 'no-store')
        .header('Content-Disposition', 'inline')
        .send(photo.bytes);
    },
  });

  app.get('/api/help-requests/:id/assignees', {
    config: { action: 'cases.work' },
    schema: {
      tags,
      summary: 'Who the request may be assigned to',
      params: IdParams,
      response: { 200: AssigneeList, ...errors },
    },
    handler: (req) => listAssignees(database, caseContext(req), req.params.id),
  });

  app.get('/api/help-requests/:id/partners', {
    config: { action: 'cases.direct' },
    schema: {
      tags,
      summary: 'Partner organisations, each with whether the request may be referred to it',
      params: IdParams,
      response: { 200: PartnerList, ...errors },
    },
    handler: (req) => listReferralPartners(database, caseContext(req), req.params.id),
  });

  app.post('/api/persons/:id/help-requests', {
    config: { action: 'cases.direct' },
    bodyLimit: OPEN_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Open a help request for a person (a phone call, a visit); triaged like any other',
      params: IdParams,
      body: OpenBody,
      response: { 201: HelpRequestDetail, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await openHelpRequestFor(database, caseContext(req), req.params.id, req.body)),
  });

  app.post('/api/help-requests/:id/assign', {
    config: { action: 'cases.work' },
    schema: {
      tags,
      summary: 'Assign the request to someone of the organisation holding it',
      params: IdParams,
      body: AssignBody,
      response: { 200: HelpRequestDetail, ...errors },
    },
    handler: (req) => assignHelpRequest(database, caseContext(req), req.params.id, req.body.userId),
  });

  app.post('/api/help-requests/:id/refer', {
    config: { action: 'cases.direct' },
    schema: {
      tags,
      summary: 'Refer the request to a partner, where an agreement covers the person and they consented',
      params: IdParams,
      body: ReferBody,
      response: { 200: HelpRequestDetail, ...errors },
    },
    handler: (req) => referHelpRequest(database, caseContext(req), req.params.id, req.body.organizationId),
  });

  app.post('/api/help-requests/:id/status', {
    config: { action: 'cases.direct' },
    schema: {
      tags,
      summary: 'Move the request along its lifecycle (acknowledged, in progress)',
      params: IdParams,
      body: StatusBody,
      response: { 200: HelpRequestDetail, ...errors },
    },
    handler: (req) => setHelpRequestStatus(database, caseContext(req), req.params.id, req.body.status),
  });

  app.post('/api/help-requests/:id/notes', {
    config: { action: 'cases.work' },
    schema: {
      tags,
      summary: 'Add a note (encrypted at rest)',
      params: IdParams,
      body: NoteBody,
      response: { 200: HelpRequestDetail, ...errors },
    },
    handler: (req) => addHelpRequestNote(database, caseContext(req), req.params.id, req.body.text),
  });

  app.post('/api/help-requests/:id/close', {
    config: { action: 'cases.work' },
    schema: {
      tags,
      summary: 'Close the request with an outcome',
      params: IdParams,
      body: CloseBody,
      response: { 200: HelpRequestDetail, ...errors },
    },
    handler: (req) => closeHelpRequest(database, caseContext(req), req.params.id, req.body.outcome),
  });
};
