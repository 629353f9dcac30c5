import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.ts';
import { Problem } from '../../http/problem.ts';
import { requestContext } from '../registry/persons.routes.ts';
import { readResponsesOf, recordOfficerAnswer } from './responses.access.ts';
import { OfficerAnswerBody, PersonIdParams, RecordedAnswer, ResponseHistory } from './responses.schema.ts';

const tags = ['responses'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem };

/** Answers on a person's record: an officer records one taken by phone, and reads the history. */
export const responseRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  app.post(
    '/api/persons/:id/responses',
    {
      config: { action: 'responses.record' },
      schema: {
        tags,
        summary: 'Record an answer taken by phone ("safe" or "need help"; need help opens a help request)',
        params: PersonIdParams,
        body: OfficerAnswerBody,
        response: { 201: RecordedAnswer, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordOfficerAnswer(database, requestContext(req), req.params.id, req.body)),
  );

  app.get(
    '/api/persons/:id/responses',
    {
      config: { action: 'persons.read' },
      schema: {
        tags,
        summary: "A person's answers, newest first (an audited read)",
        params: PersonIdParams,
        response: { 200: ResponseHistory, ...errors },
      },
    },
    async (req) => ({ items: await readResponsesOf(database, requestContext(req), req.params.id) }),
  );
};
