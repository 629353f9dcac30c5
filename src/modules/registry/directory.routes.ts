import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { Problem } from '../../http/problem.ts';
import {
  HouseholdCreate,
  HouseholdView,
  OrganizationCreate,
  OrganizationQuery,
  OrganizationView,
  PostCreate,
  PostView,
} from './directory.schema.ts';
import {
  createHousehold,
  createOrganization,
  createPost,
  getHousehold,
  getOrganization,
  getPost,
  listHouseholds,
  listOrganizations,
  listPosts,
  toOrganizationView,
} from './directory.service.ts';
import { IdParams } from './persons.schema.ts';

const errors = { 400: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Organisations, posts (embassies and consulates) and households. */
export const directoryRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  const { db } = database;

  app.get('/api/organizations', {
    config: { action: 'registry.read' },
    schema: {
      tags: ['organizations'],
      querystring: OrganizationQuery,
      response: { 200: Type.Object({ items: Type.Array(OrganizationView) }) },
    },
    handler: async (req) => ({
      items: (await listOrganizations(db, req.query.type)).map(toOrganizationView),
    }),
  });
  app.post('/api/organizations', {
    config: { action: 'registry.write' },
    schema: {
      tags: ['organizations'],
      body: OrganizationCreate,
      response: { 201: OrganizationView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(toOrganizationView(await createOrganization(db, req.body))),
  });
  app.get('/api/organizations/:id', {
    config: { action: 'registry.read' },
    schema: { tags: ['organizations'], params: IdParams, response: { 200: OrganizationView, ...errors } },
    handler: async (req) => toOrganizationView(await getOrganization(db, req.params.id)),
  });

  app.get('/api/posts', {
    config: { action: 'public' },
    schema: { tags: ['posts'], response: { 200: Type.Object({ items: Type.Array(PostView) }) } },
    handler: async () => ({ items: await listPosts(db) }),
  });
  app.post('/api/posts', {
    config: { action: 'registry.write' },
    schema: { tags: ['posts'], body: PostCreate, response: { 201: PostView, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await createPost(db, req.body)),
  });
  app.get('/api/posts/:id', {
    config: { action: 'public' },
    schema: { tags: ['posts'], params: IdParams, response: { 200: PostView, ...errors } },
    handler: async (req) => getPost(db, req.params.id),
  });

  app.get('/api/households', {
    config: { action: 'registry.read' },
    schema: { tags: ['households'], response: { 200: Type.Object({ items: Type.Array(HouseholdView) }) } },
    handler: async () => ({ items: await listHouseholds(db) }),
  });
  app.post('/api/households', {
    config: { action: 'persons.write' },
    schema: { tags: ['households'], body: HouseholdCreate, response: { 201: HouseholdView, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await createHousehold(db, req.body)),
  });
  app.get('/api/households/:id', {
    config: { action: 'registry.read' },
    schema: { tags: ['households'], params: IdParams, response: { 200: HouseholdView, ...errors } },
    handler: async (req) => getHousehold(db, req.params.id),
  });
};
