import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { Problem } from '../../http/problem.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import { registryAggregates, SMALL_CELL_THRESHOLD } from './aggregates.service.ts';

const Cell = Type.Object({
  key: Type.String(),
  count: Type.Union([Type.Integer(), Type.Null()]),
  suppressed: Type.Boolean(),
});

/** Aggregate figures: the only view of the registry that host authorities and analysts get. */
export const aggregateRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  app.get('/api/aggregates/registry', {
    config: { action: 'aggregates.read' },
    schema: {
      tags: ['aggregates'],
      summary: `Registered people counted by country, sex, age band or nationality; cells under ${SMALL_CELL_THRESHOLD} are suppressed`,
      querystring: Type.Object(
        {
          by: StringEnum(['country', 'sex', 'age_band', 'nationality'] as const),
          country: Type.Optional(Type.String({ maxLength: 2 })),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          by: Type.String(),
          total: Type.Union([Type.Integer(), Type.Null()]),
          cells: Type.Array(Cell),
          erasedIncluded: Type.Integer(),
        }),
        400: Problem,
        401: Problem,
        403: Problem,
      },
    },
    handler: async (req) => registryAggregates(database.db, req.query.by, req.query.country),
  });
};
