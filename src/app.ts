import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import {
  CONTENT_SECURITY_POLICY,
  registerAuth,
  registerSecurityHeaders,
  SECURITY_HEADERS,
} from './http/auth.ts';
import { registerErrorHandling, sendProblem } from './http/problem.ts';
import { registerRateLimits } from './http/rate-limit.ts';
import { accessRoutes } from './modules/access/access.routes.ts';
import { aggregateRoutes } from './modules/aggregates/aggregates.routes.ts';
import { alertRoutes } from './modules/alerts/alerts.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { boardRoutes } from './modules/board/board.routes.ts';
import { capRoutes } from './modules/cap/cap.routes.ts';
import { helpRequestRoutes } from './modules/cases/help-requests.routes.ts';
import { deliveryRoutes } from './modules/delivery/delivery.routes.ts';
import { evacuationRoutes } from './modules/evacuation/evacuation.routes.ts';
import { callListRoutes } from './modules/followups/call-list.routes.ts';
import { importRoutes } from './modules/imports/imports.routes.ts';
import { inboundRoutes } from './modules/inbound/inbound.routes.ts';
import { levelRoutes } from './modules/levels/levels.routes.ts';
import { migrantRoutes } from './modules/migrant/me.routes.ts';
import { referenceRoutes } from './modules/reference/reference.routes.ts';
import { directoryRoutes } from './modules/registry/directory.routes.ts';
import { personRoutes } from './modules/registry/persons.routes.ts';
import { createReplyLinks } from './modules/responses/reply-links.answer.ts';
import { replyFormFastPath } from './modules/responses/reply-links.fast-path.ts';
import { replyLinkRoutes } from './modules/responses/reply-links.routes.ts';
import { responseRoutes } from './modules/responses/responses.routes.ts';
import { healthRoutes } from './modules/system/health.routes.ts';

/** What the app needs from outside: configuration and an open database. */
export type AppDeps = {
  config: Config;
  database: Database /** Where logs go (default stdout); tests capture them. */;
  logStream?: NodeJS.WritableStream;
};

function makeAjv(coerceTypes: 'array' | false): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    strict: false,
  });
  // ajv-formats is CommonJS: under Node's ESM interop its function sits on `default`.
  const mod = formatsPlugin as unknown as { default?: (a: Ajv) => Ajv };
  const addFormats = mod.default ?? (formatsPlugin as unknown as (a: Ajv) => Ajv);
  addFormats(ajv);
  return ajv;
}

/** Strips the query string: it may carry search terms, which must never reach a log. */
const pathOnly = (url: string) => url.split('?')[0];
/** The path as logged: a reply link's token is a credential, so it is left out too. */
const loggedPath = (url: string) => pathOnly(url)?.replace(/^\/r\/[^/]*/, '/r/:token');

/** Builds the HTTP application. It never listens: the server entry point (or a test) decides that. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Reply links are answered by the routes below and, for their form posts, straight from the HTTP
  // server (see reply-links.fast-path.ts): both through this one object.
  const replyLinks = createReplyLinks(deps.database, deps.config);
  let closing = false;
  const fastPath = replyFormFastPath(replyLinks, {
    headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
    log: () => app.log,
    logRequests: ['trace', 'debug', 'info'].includes(deps.config.logLevel),
    closing: () => closing,
  });
  // The server Fastify would make, with the direct path in front of its handler.
  const serverFactory: FastifyServerOptions['serverFactory'] = (handler, opts) => {
    const options = opts as {
      keepAliveTimeout?: number;
      requestTimeout?: number;
      connectionTimeout?: number;
    };
    const server = createServer((req, res) => {
      if (!fastPath(req, res)) handler(req, res);
    });
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
    server.requestTimeout = options.requestTimeout ?? 0;
    server.setTimeout(options.connectionTimeout ?? 0);
    return server;
  };

  const app = Fastify({
    serverFactory,
    logger:
      deps.config.logLevel === 'silent'
        ? false
        : {
            level: deps.config.logLevel,
            ...(deps.logStream ? { stream: deps.logStream } : {}),
            serializers: {
              req: (req) => ({ method: req.method, url: loggedPath(req.url), id: req.id }),
              res: (res) => ({ statusCode: res.statusCode }),
            },
          },
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Query strings and path parameters arrive as text and are coerced to their schema types; JSON bodies
  // are not, so a null stays null (coercion would turn it into "" or 0 and store that).
  const validators = { coercing: makeAjv('array'), strict: makeAjv(false) };
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? validators.strict : validators.coercing).compile(schema),
  );

  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerRateLimits(app, {
    loginPerMinute: deps.config.loginRatePerMinute,
    apiPerMinute: deps.config.apiRatePerMinute,
  });
  registerAuth(app, deps.database);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haven API',
        version: '0.1.0',
        description:
          'Registry, alert levels, alerts, delivery, two-way contact and evacuation for people abroad in a crisis.',
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes, deps);
  await app.register(accessRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(aggregateRoutes, deps);
  await app.register(referenceRoutes, deps);
  await app.register(personRoutes, deps);
  await app.register(directoryRoutes, deps);
  await app.register(importRoutes, deps);
  await app.register(levelRoutes, deps);
  await app.register(alertRoutes, deps);
  await app.register(capRoutes, deps);
  await app.register(deliveryRoutes, deps);
  await app.register(boardRoutes, deps);
  await app.register(callListRoutes, deps);
  await app.register(evacuationRoutes, deps);
  await app.register(helpRequestRoutes, deps);
  await app.register(responseRoutes, deps);
  await app.register(inboundRoutes, deps);
  await app.register(replyLinkRoutes, { ...deps, replyLinks });
  // Requests arriving while the server closes are the framework's to refuse (503).
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Replies still queued when the server stops are written before the database closes.
  app.addHook('onClose', () => replyLinks.close());
  await app.register(migrantRoutes, deps);

  const index = join(deps.config.webDir, 'index.html');
  const hasWeb = existsSync(index);
  const hasAppPage = hasWeb && existsSync(join(deps.config.webDir, 'app', 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: deps.config.webDir, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = pathOnly(req.url) ?? '/';
    // A missing file (a stale asset, a typo) is a 404, not the app's index page.
    if (path.startsWith('/api/') || path === '/api' || req.method !== 'GET' || /\.[a-z0-9]+$/i.test(path)) {
      return sendProblem(reply, 404, 'route.not_found', 'No such route');
    }
    // The migrant app is a page of its own (a small bundle, its own service worker) under /app.
    // Its service worker's scope is /app/, which /app itself is outside of.
    if (hasAppPage && path === '/app') return reply.redirect('/app/', 302);
    if (hasAppPage && path.startsWith('/app/')) return reply.type('text/html').sendFile('app/index.html');
    if (hasWeb) return reply.type('text/html').sendFile('index.html');
    return reply
      .type('text/html')
      .send(
        '<!doctype html><title>Haven</title><p>The web app is not built. Run <code>npm run build</code>, then reload. The API is at <a href="/api/docs">/api/docs</a>.</p>',
      );
  });
  return app;
}
