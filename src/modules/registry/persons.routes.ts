import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { Problem } from '../../http/problem.ts';
import {
  IdParams,
  PersonCreate,
  PersonListQuery,
  PersonPage,
  PersonPatch,
  PersonSearchBody,
  PersonView,
} from './persons.schema.ts';
import { createPerson, deletePerson, getPerson, searchPersons, updatePerson } from './persons.service.ts';
import { toPersonView } from './persons.view.ts';

const tags = ['persons'];
const errors = { 400: Problem, 404: Problem, 409: Problem, 422: Problem };

/** The registry of people abroad: register, read, change, remove and search persons. */
export const personRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  const { db } = database;

  app.get('/api/persons', {
    schema: {
      tags,
      summary: 'List persons by country, area, household or employer (name and phone search: POST /api/persons/search)',
      querystring: PersonListQuery,
      response: { 200: PersonPage, ...errors },
    },
    handler: async (req) => {
      const page = await searchPersons(db, req.query);
      return { items: page.items.map(toPersonView), nextCursor: page.nextCursor };
    },
  });

  app.post('/api/persons/search', {
    schema: {
      tags,
      summary: 'Search persons by name, phone, country, area or group, with cursor pagination',
      body: PersonSearchBody,
      response: { 200: PersonPage, ...errors },
    },
    handler: async (req) => {
      const page = await searchPersons(db, req.body);
      return { items: page.items.map(toPersonView), nextCursor: page.nextCursor };
    },
  });

  app.post('/api/persons', {
    schema: { tags, summary: 'Register a person', body: PersonCreate, response: { 201: PersonView, ...errors } },
    handler: async (req, reply) => {
      const record = await createPerson(db, req.body);
      return reply.code(201).send(toPersonView(record));
    },
  });

  app.get('/api/persons/:id', {
    schema: { tags, summary: 'One person', params: IdParams, response: { 200: PersonView, ...errors } },
    handler: async (req) => toPersonView(await getPerson(db, req.params.id)),
  });

  app.patch('/api/persons/:id', {
    schema: { tags, summary: 'Change some fields of a person', params: IdParams, body: PersonPatch, response: { 200: PersonView, ...errors } },
    handler: async (req) => toPersonView(await updatePerson(db, req.params.id, req.body)),
  });

  app.delete('/api/persons/:id', {
    schema: { tags, summary: 'Remove a person', params: IdParams, response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      await deletePerson(db, req.params.id);
      return reply.code(204).send(null);
    },
  });
};
