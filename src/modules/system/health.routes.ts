import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Object({ dialect: Type.String(), ok: Type.Boolean() }),
  version: Type.String(),
  time: Type.String(),
});

/** Liveness and database reachability, for load balancers and operators. */
export const healthRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  app.get('/api/health', {
    config: { action: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Health of the server and its database',
      response: { 200: Health, 503: Health },
    },
    handler: async (_req, reply) => {
      let ok = true;
      try {
        await sql`select 1`.execute(database.db);
      } catch {
        ok = false;
      }
      const body = {
        status: ok ? 'ok' : 'degraded',
        database: { dialect: database.dialect, ok },
        version: '0.1.0',
        time: new Date().toISOString(),
      } as const;
      return reply.code(ok ? 200 : 503).send(body);
    },
  });
};
