import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import {
  BoardSubjectsView,
  BoardView,
  TimelineView,
  UnaccountedPage,
  UnaccountedQuery,
} from './board.schema.ts';
import {
  getBoard,
  getTimeline,
  getUnaccounted,
  listBoardSubjects,
  resolveBoard,
  type SubjectKind,
} from './board.service.ts';
import { BoardStreams } from './board.streams.ts';

const tags = ['board'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const IdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });

const SUBJECTS: { kind: SubjectKind; base: string; what: string }[] = [
  { kind: 'alert', base: '/api/alerts/:id/board', what: 'an alert' },
  {
    kind: 'incident',
    base: '/api/incidents/:id/board',
    what: 'a crisis (an imported incident: every issued alert drafted from it, and their updates)',
  },
];

/**
 * The accountability board: who is safe, who needs help and who has not answered, for an alert or a
 * crisis, broken down by area, sex, age band and vulnerability; live over server-sent events; the
 * people still unaccounted for; and answers over time.
 */
export const boardRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  const streams = new BoardStreams(database);
  app.addHook('onClose', async () => streams.closeAll());

  app.get('/api/board/subjects', {
    config: { action: 'board.read' },
    schema: {
      tags,
      summary: 'The issued alerts and crises whose boards you may open, newest first',
      response: { 200: BoardSubjectsView, ...errors },
    },
    handler: async (req) => listBoardSubjects(database, viewerOf(req).viewer),
  });

  for (const { kind, base, what } of SUBJECTS) {
    app.get(base, {
      config: { action: 'board.read' },
      schema: {
        tags,
        summary: `The accountability board of ${what}`,
        description:
          'Targeted, reached, safe, need help and no answer, in total and by country, area, sex, age band and vulnerability. ' +
          'A consular officer counts the jurisdiction only; host authorities and analysts see public alerts with cells under 5 hidden, and no vulnerability breakdown.',
        params: IdParams,
        response: { 200: BoardView, ...errors },
      },
      handler: async (req) => getBoard(database, viewerOf(req).viewer, kind, req.params.id),
    });

    app.get(`${base}/stream`, {
      config: { action: 'board.read' },
      schema: {
        tags,
        summary: 'The same board, live: server-sent events',
        description:
          'A `board` event (data: the JSON of the board) at once and whenever the figures change, checked every second; a comment line every 15 s keeps the connection open.',
        params: IdParams,
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errors },
      },
      handler: async (req, reply) => {
        const viewer = viewerOf(req).viewer;
        const board = await resolveBoard(database, viewer, kind, req.params.id);
        reply.hijack();
        streams.open(board, () => resolveBoard(database, viewer, kind, req.params.id), req.raw, reply.raw);
      },
    });

    app.get(`${base}/timeline`, {
      config: { action: 'board.read' },
      schema: {
        tags,
        summary: 'Answers over time since the (first) issue: safe and need help per minute',
        description:
          'Buckets widen past 720 points. Host authorities and analysts see buckets under 5 hidden.',
        params: IdParams,
        response: { 200: TimelineView, ...errors },
      },
      handler: async (req) => getTimeline(database, viewerOf(req).viewer, kind, req.params.id),
    });

    app.get(`${base}/unaccounted`, {
      config: { action: 'board.people' },
      schema: {
        tags,
        summary: 'People not heard from (no answer, no open help request), within your scope (audited)',
        description: 'Paged by person; every person listed is written to the audit log.',
        params: IdParams,
        querystring: UnaccountedQuery,
        response: { 200: UnaccountedPage, ...errors },
      },
      handler: async (req) =>
        getUnaccounted(
          database,
          { viewer: viewerOf(req).viewer, ip: req.ip },
          kind,
          req.params.id,
          req.query,
        ),
    });
  }
};
