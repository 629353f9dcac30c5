import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import {
  createPersonAs,
  deletePersonAs,
  erasePerson,
  openEmergencyAccess,
  type RequestContext,
  readPerson,
  recordConsent,
  searchVisiblePersons,
  updatePersonAs,
  type VisibleRecord,
} from './persons.access.ts';
import {
  IdParams,
  PersonCreate,
  PersonListQuery,
  PersonPage,
  PersonPatch,
  PersonSearchBody,
  PersonView,
} from './persons.schema.ts';
import { toPersonView } from './persons.view.ts';

const tags = ['persons'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Who asks and why, for the audit log. The purpose header is optional free text, kept short. */
export function requestContext(req: FastifyRequest): RequestContext {
  const purpose = req.headers['x-haven-purpose'];
  return {
    viewer: viewerOf(req).viewer,
    ip: req.ip,
    purpose: typeof purpose === 'string' ? purpose.slice(0, 200) : null,
  };
}

const view = (v: VisibleRecord) => toPersonView(v.record, v.fields, v.emergency);

const ConsentBody = Type.Object(
  {
    status: Type.Union([Type.Literal('granted'), Type.Literal('withdrawn')]),
    channel: StringEnum(['in_person', 'phone', 'sms', 'web', 'paper', 'email'] as const),
    organizationId: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'One partner; omit for every partner under an agreement',
      }),
    ),
  },
  { additionalProperties: false },
);
const ConsentView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  channel: Type.String(),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  recordedAt: Type.String(),
});

/** The registry of people abroad: register, read, change, remove, erase and search persons. */
export const personRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  app.get('/api/persons', {
    config: { action: 'persons.read' },
    schema: {
      tags,
      summary:
        'List persons by country, area, household or employer (name and phone search: POST /api/persons/search)',
      querystring: PersonListQuery,
      response: { 200: PersonPage, ...errors },
    },
    handler: async (req) => {
      const page = await searchVisiblePersons(database, requestContext(req), req.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  });

  app.post('/api/persons/search', {
    config: { action: 'persons.read' },
    schema: {
      tags,
      summary: 'Search persons by name, phone, country, area or group, with cursor pagination',
      body: PersonSearchBody,
      response: { 200: PersonPage, ...errors },
    },
    handler: async (req) => {
      const page = await searchVisiblePersons(database, requestContext(req), req.body);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  });

  app.post('/api/persons', {
    config: { action: 'persons.write' },
    schema: {
      tags,
      summary: 'Register a person',
      body: PersonCreate,
      response: { 201: PersonView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(view(await createPersonAs(database, requestContext(req), req.body))),
  });

  app.get('/api/persons/:id', {
    config: { action: 'persons.read' },
    schema: {
      tags,
      summary: 'One person, as this viewer may see them (audited)',
      params: IdParams,
      response: { 200: PersonView, ...errors },
    },
    handler: async (req) => view(await readPerson(database, requestContext(req), req.params.id)),
  });

  app.patch('/api/persons/:id', {
    config: { action: 'persons.write' },
    schema: {
      tags,
      summary: 'Change some fields of a person',
      params: IdParams,
      body: PersonPatch,
      response: { 200: PersonView, ...errors },
    },
    handler: async (req) =>
      view(await updatePersonAs(database, requestContext(req), req.params.id, req.body)),
  });

  app.delete('/api/persons/:id', {
    config: { action: 'persons.write' },
    schema: {
      tags,
      summary: 'Remove a person registered in error (use erase for a person who asks to be forgotten)',
      params: IdParams,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (req, reply) => {
      await deletePersonAs(database, requestContext(req), req.params.id);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/persons/:id/erase', {
    config: { action: 'persons.erase' },
    schema: {
      tags,
      summary:
        'Erase a person irreversibly; anonymous counts are kept and the erasure is audited without the erased data',
      params: IdParams,
      body: Type.Object(
        { reason: Type.String({ minLength: 1, maxLength: 500 }) },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (req, reply) => {
      await erasePerson(database, requestContext(req), req.params.id, req.body.reason);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/persons/:id/consents', {
    config: { action: 'consents.write' },
    schema: {
      tags,
      summary: "Record the person's consent to share with partners, or its withdrawal",
      params: IdParams,
      body: ConsentBody,
      response: { 201: ConsentView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await recordConsent(database, requestContext(req), req.params.id, req.body)),
  });

  app.post('/api/persons/:id/emergency-access', {
    config: { action: 'overrides.create' },
    schema: {
      tags,
      summary: 'Life-saving emergency override: time-limited access to one person, flagged in the audit log',
      params: IdParams,
      body: Type.Object(
        { reason: Type.String({ minLength: 1, maxLength: 500 }), minutes: Type.Optional(Type.Integer()) },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ personId: Type.String(), expiresAt: Type.String() }), ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await openEmergencyAccess(database, requestContext(req), req.params.id, req.body)),
  });
};
