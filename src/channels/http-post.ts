// One HTTP POST with a hard deadline over the whole exchange (connect, request, response headers and
// body), shared by the HTTP-based channels. A partner or provider that answers slowly, trickles its
// body, or never answers costs at most `timeoutMs`.
import http from 'node:http';
import https from 'node:https';

/** The response of a POST that completed: status, headers and at most `maxResponseBytes` of body. */
export type HttpAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** How a POST ended: with an answer, past its deadline, or with a network error (refused, reset, TLS). */
export type HttpOutcome =
  | { kind: 'answer'; answer: HttpAnswer }
  | { kind: 'timeout' }
  | { kind: 'network'; errorCode: string };

/** Keep-alive agents for plain and TLS connections, owned by one channel and destroyed when it closes. */
export type HttpAgents = { http: http.Agent; https: https.Agent; destroy(): void };

/** Creates keep-alive agents; `ca` adds trusted certificates (for a provider with a private CA). */
export function createHttpAgents(options: { maxSockets?: number; ca?: string | Buffer } = {}): HttpAgents {
  const common = { keepAlive: true, maxSockets: options.maxSockets ?? 32 };
  const plain = new http.Agent(common);
  const secure = new https.Agent(options.ca === undefined ? common : { ...common, ca: options.ca });
  return {
    http: plain,
    https: secure,
    destroy() {
      plain.destroy();
      secure.destroy();
    },
  };
}

/** POSTs a body to a URL and settles by `timeoutMs` at the latest; never rejects. */
export function postWithDeadline(
  url: URL,
  request: {
    headers: Record<string, string | number>;
    body: string | Buffer;
    timeoutMs: number;
    agents: HttpAgents;
    maxResponseBytes?: number;
  },
): Promise<HttpOutcome> {
  const maxBytes = request.maxResponseBytes ?? 64 * 1024;
  const secure = url.protocol === 'https:';
  const send = secure ? https.request : http.request;
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const req = send(url, {
      method: 'POST',
      agent: secure ? request.agents.https : request.agents.http,
      headers: { ...request.headers, 'Content-Length': body.length },
    });
    const deadline = setTimeout(() => {
      finish({ kind: 'timeout' });
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({ kind: 'network', errorCode: error.code ?? 'ERROR' });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= maxBytes) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
        finish({ kind: 'answer', answer: { status: res.statusCode ?? 0, headers: res.headers, body: text } });
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        finish({ kind: 'network', errorCode: error.code ?? 'ERROR' });
      });
    });
    req.end(body);
  });
}

/**
 * Milliseconds a Retry-After header asks to wait: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
