import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';
import { CallListPage, CallListQuery, CallOutcomeBody, CallOutcomeView } from './call-list.schema.ts';
import { listCallList, recordCallOutcome } from './call-list.service.ts';

const tags = ['follow-ups'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** The officers' call list: people still silent after the second window, and the outcomes of calls. */
export const callListRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  app.get('/api/call-list', {
    config: { action: 'calls.work' },
    schema: {
      tags,
      summary: 'People to call, within your scope, oldest entry first (audited)',
      description:
        'Open entries by default. Names and consented phone numbers are shown; the read is written to the audit log with the people it showed.',
      querystring: CallListQuery,
      response: { 200: CallListPage, ...errors },
    },
    handler: async (req) => listCallList(database, { viewer: viewerOf(req).viewer, ip: req.ip }, req.query),
  });

  app.post('/api/call-list/:id/outcome', {
    config: { action: 'calls.work' },
    schema: {
      tags,
      summary: "Record a call's outcome (audited)",
      description:
        'reached_safe and reached_need_help record the answer (channel officer) and close the entry; wrong_number closes it; no_answer counts the attempt and keeps it open. 409 call_list.closed when the entry is closed already.',
      params: Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) }),
      body: CallOutcomeBody,
      response: { 200: CallOutcomeView, ...errors },
    },
    handler: async (req) =>
      recordCallOutcome(
        database,
        { viewer: viewerOf(req).viewer, ip: req.ip },
        req.params.id,
        req.body.outcome,
      ),
  });
};
