import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import {
  AreaCreate,
  AreaQuery,
  AreaView,
  CurrentLevelsView,
  DeclarationCreate,
  DeclarationCreated,
  DeclarationView,
  HistoryQuery,
  PointLevelView,
  PointQuery,
  PresetBody,
  PublicLevelsView,
  SchemeBody,
  SchemeVersionView,
  TaskPatch,
  TaskQuery,
  TaskView,
} from './levels.schema.ts';
import {
  applyPreset,
  createArea,
  currentLevels,
  declarationHistory,
  declareLevel,
  getActiveScheme,
  getAreaView,
  type LevelsContext,
  levelAtPoint,
  listAreaViews,
  publicLevels,
  replaceScheme,
  toSchemeVersionView,
} from './levels.service.ts';
import { renderPublicLevelsPage } from './public-levels.page.ts';
import { listTasksFor, updateTaskAs } from './tasks.service.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const IdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });

const context = (req: FastifyRequest): LevelsContext => ({ viewer: viewerOf(req).viewer, ip: req.ip });

/** Alert schemes, named areas, level declarations, their checklist tasks, and the public level pages. */
export const levelRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  const { db } = database;

  app.get('/api/alert-schemes/current', {
    config: { action: 'levels.read' },
    schema: {
      tags: ['alert levels'],
      summary: "The deployment's alert-level scheme",
      response: { 200: SchemeVersionView, ...errors },
    },
    handler: async () => toSchemeVersionView(await getActiveScheme(database)),
  });
  app.put('/api/alert-schemes/current', {
    config: { action: 'schemes.manage' },
    schema: {
      tags: ['alert levels'],
      summary: 'Replace the scheme with an edited one (the previous version is kept)',
      description:
        '422 levels.scheme_invalid lists every issue; 409 levels.scheme_level_in_use when a level in force would disappear.',
      body: SchemeBody,
      response: { 200: SchemeVersionView, ...errors },
    },
    handler: async (req) => replaceScheme(database, context(req), req.body, 'edit'),
  });
  app.post('/api/alert-schemes/current/preset', {
    config: { action: 'schemes.manage' },
    schema: {
      tags: ['alert levels'],
      summary: 'Switch to a preset scheme',
      body: PresetBody,
      response: { 200: SchemeVersionView, ...errors },
    },
    handler: async (req) => applyPreset(database, context(req), req.body.preset),
  });

  app.get('/api/areas', {
    config: { action: 'levels.read' },
    schema: {
      tags: ['alert levels'],
      summary: 'Named areas',
      querystring: AreaQuery,
      response: { 200: Type.Object({ items: Type.Array(AreaView) }), ...errors },
    },
    handler: async (req) => ({ items: await listAreaViews(db, req.query.country) }),
  });
  app.post('/api/areas', {
    config: { action: 'levels.declare' },
    schema: {
      tags: ['alert levels'],
      summary: 'Save a named area of a country',
      body: AreaCreate,
      response: { 201: AreaView, ...errors },
    },
    handler: async (req, reply) => reply.code(201).send(await createArea(database, context(req), req.body)),
  });
  app.get('/api/areas/:id', {
    config: { action: 'levels.read' },
    schema: { tags: ['alert levels'], params: IdParams, response: { 200: AreaView, ...errors } },
    handler: async (req) => getAreaView(db, req.params.id),
  });

  app.post('/api/alert-levels', {
    config: { action: 'levels.declare' },
    schema: {
      tags: ['alert levels'],
      summary: 'Declare, raise, lower or lift (level 0) the level of a country or an area',
      body: DeclarationCreate,
      response: { 201: DeclarationCreated, ...errors },
    },
    handler: async (req, reply) => reply.code(201).send(await declareLevel(database, context(req), req.body)),
  });
  app.get('/api/alert-levels/current', {
    config: { action: 'levels.read' },
    schema: {
      tags: ['alert levels'],
      summary: 'Levels in force for every country and area, and those scheduled',
      response: { 200: CurrentLevelsView, ...errors },
    },
    handler: async () => currentLevels(database),
  });
  app.get('/api/alert-levels/history', {
    config: { action: 'levels.read' },
    schema: {
      tags: ['alert levels'],
      summary: 'Every declaration, newest first',
      querystring: HistoryQuery,
      response: { 200: Type.Object({ items: Type.Array(DeclarationView) }), ...errors },
    },
    handler: async (req) => ({ items: await declarationHistory(database, req.query) }),
  });
  app.get('/api/alert-levels/at', {
    config: { action: 'levels.read' },
    schema: {
      tags: ['alert levels'],
      summary: "The level in force at a point: the higher of its country's and its areas'",
      querystring: PointQuery,
      response: { 200: PointLevelView, ...errors },
    },
    handler: async (req) => levelAtPoint(database, req.query),
  });

  app.get('/api/tasks', {
    config: { action: 'tasks.work' },
    schema: {
      tags: ['alert levels'],
      summary: 'Checklist tasks of the posts',
      querystring: TaskQuery,
      response: { 200: Type.Object({ items: Type.Array(TaskView) }), ...errors },
    },
    handler: async (req) => ({ items: await listTasksFor(database, viewerOf(req).viewer, req.query) }),
  });
  app.patch('/api/tasks/:id', {
    config: { action: 'tasks.work' },
    schema: {
      tags: ['alert levels'],
      summary: 'Assign a task or mark it done',
      params: IdParams,
      body: TaskPatch,
      response: { 200: TaskView, ...errors },
    },
    handler: async (req) => updateTaskAs(database, context(req), req.params.id, req.body),
  });

  // Public and read-only: no sign-in, so nothing here may reveal more than PublicLevelsView allows.
  app.get('/public/levels.json', {
    config: { action: 'public' },
    schema: {
      tags: ['public'],
      summary: 'Current alert levels, as published',
      response: { 200: PublicLevelsView },
    },
    handler: async (_req, reply) => {
      // Published for anyone to reuse, so other sites and apps may read it too.
      reply.header('Cache-Control', 'public, max-age=60').header('Access-Control-Allow-Origin', '*');
      return publicLevels(database);
    },
  });
  app.get('/public/levels', {
    config: { action: 'public' },
    schema: {
      tags: ['public'],
      summary: 'Current alert levels as an HTML page (no script needed)',
      produces: ['text/html'],
      response: { 200: Type.String({ description: 'text/html' }) },
    },
    handler: async (_req, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=60')
        .type('text/html; charset=utf-8')
        .send(renderPublicLevelsPage(await publicLevels(database))),
  });
};
