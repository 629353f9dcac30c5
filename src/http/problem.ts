import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.ts';

/** RFC 9457 problem details, with Haven's stable `code`. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ code: Type.Optional(Type.String()), field: Type.String(), message: Type.String() }),
      ),
    ),
  },
  { additionalProperties: true },
);

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send({
      type: `urn:haven:problem:${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail,
      ...extra,
    });
}

// Fastify's own client errors, mapped to Haven's stable codes.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.malformed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.malformed_json',
};

/**
 * The one place errors become HTTP answers. Expected errors keep their code and message; anything
 * else is logged (without request data) and answered with a bare 500 that reveals no internals.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      return sendProblem(reply, err.status, err.code, err.message, err.details ?? {});
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const errors = fe.validation.map((v) => ({
        field: `${fe.validationContext ?? 'body'}${v.instancePath}`,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, 400, 'request.invalid', 'The request does not match the schema', { errors });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code =
        (fe.code && FASTIFY_CODES[fe.code]) ||
        (fe.statusCode === 429 ? 'request.rate_limited' : 'request.invalid');
      const detail =
        fe.statusCode === 413
          ? 'The request body is too large'
          : code === 'request.malformed_json'
            ? 'The body is not valid JSON'
            : 'The request could not be processed';
      return sendProblem(reply, fe.statusCode, code, detail);
    }
    req.log.error({ err: { type: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
    return sendProblem(reply, 500, 'internal', 'An internal error occurred; it has been logged');
  });
}
