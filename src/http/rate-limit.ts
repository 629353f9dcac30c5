import type { FastifyInstance, onRequestAsyncHookHandler, onRequestHookHandler, RouteOptions } from 'fastify';
import { sendProblem } from './problem.ts';

/**
 * A fixed-window request limiter per client address and bucket, held in memory. Each process limits
 * on its own; behind several web processes the effective limit is multiplied, which is acceptable for
 * its purpose (blunting floods and brute force, not metering).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}
  /** Counts a hit; returns seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      if (this.windows.size > 100_000) this.sweep(now);
      return 0;
    }
    w.count++;
    return w.count > this.limit ? Math.ceil((w.start + this.windowMs - now) / 1000) : 0;
  }
  private sweep(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/**
 * Adds a hook to one route's own list, after any it has: hooks that concern only some routes (the API's)
 * are attached to those routes as they are registered, so that other routes (the reply links, the web
 * app's files) do not pay for them on every request.
 */
export function addRouteHook(
  route: RouteOptions,
  name: 'onRequest',
  hook: onRequestHookHandler | onRequestAsyncHookHandler,
): void {
  const existing = route[name];
  route[name] = [...(existing === undefined ? [] : [existing].flat()), hook] as RouteOptions['onRequest'];
}

/** Limits sign-in attempts per address, and all API requests per address. */
export function registerRateLimits(
  app: FastifyInstance,
  opts: { loginPerMinute: number; apiPerMinute: number },
): void {
  const login = new RateLimiter(opts.loginPerMinute, 60_000);
  const api = new RateLimiter(opts.apiPerMinute, 60_000);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const isLogin = route.url === '/api/auth/login';
    const limiter = isLogin ? login : api;
    const bucket = isLogin ? 'login:' : 'api:';
    addRouteHook(route, 'onRequest', (req, reply, done) => {
      const wait = limiter.hit(bucket + req.ip);
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        sendProblem(reply, 429, 'request.rate_limited', `Too many requests; retry in ${wait} s`);
        return;
      }
      done();
    });
  });
}
