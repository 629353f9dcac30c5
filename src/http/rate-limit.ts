import type { FastifyInstance } from 'fastify';
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

/** Limits sign-in attempts per address, and all API requests per address. */
export function registerRateLimits(
  app: FastifyInstance,
  opts: { loginPerMinute: number; apiPerMinute: number },
): void {
  const login = new RateLimiter(opts.loginPerMinute, 60_000);
  const api = new RateLimiter(opts.apiPerMinute, 60_000);
  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url ?? '';
    if (!url.startsWith('/api/')) return;
    const limiter = url === '/api/auth/login' ? login : api;
    const wait = limiter.hit(`${url === '/api/auth/login' ? 'login' : 'api'}:${req.ip}`);
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      return sendProblem(reply, 429, 'request.rate_limited', `Too many requests; retry in ${wait} s`);
    }
  });
}
