import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { Problem } from '../../http/problem.ts';
import { queryAudit } from './audit.repository.ts';
import { verifyAuditChain } from './audit.service.ts';

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  outcome: Type.String(),
  personIds: Type.Array(Type.String()),
  purpose: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  emergency: Type.Boolean(),
  details: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});

/** The audit log, for auditors only: query it and check its hash chain. */
export const auditRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  const errors = { 400: Problem, 401: Problem, 403: Problem };
  app.get('/api/audit', {
    config: { action: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'Audit entries, newest first, filtered by actor, person, action or time',
      querystring: Type.Object(
        {
          actorUserId: Type.Optional(Type.String()),
          personId: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ items: Type.Array(Entry) }), ...errors },
    },
    handler: async (req) => {
      const rows = await queryAudit(database.db, { ...req.query, limit: req.query.limit ?? 100 });
      return {
        items: rows.map((r) => ({
          seq: r.seq,
          at: r.at,
          actorUserId: r.actor_user_id,
          actorRole: r.actor_role,
          action: r.action,
          outcome: r.outcome,
          personIds: JSON.parse(r.person_ids) as string[],
          purpose: r.purpose,
          ip: r.ip,
          emergency: r.emergency === 1,
          details: JSON.parse(r.details) as Record<string, unknown>,
          hash: r.hash,
        })),
      };
    },
  });
  app.get('/api/audit/verify', {
    config: { action: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'Check the whole hash chain and name the first broken link',
      response: {
        200: Type.Object({
          ok: Type.Boolean(),
          entries: Type.Integer(),
          brokenAt: Type.Optional(Type.Integer()),
          reason: Type.Optional(Type.String()),
        }),
        ...errors,
      },
    },
    handler: async () => verifyAuditChain(database.db),
  });
};
