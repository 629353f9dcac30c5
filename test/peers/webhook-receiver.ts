// A loopback partner system (node:http) receiving Haven's signed webhooks. It checks the signature
// itself, from the documented scheme (HMAC-SHA256 of "<timestamp>.<body>", hex, `v1=` prefix, timestamp
// within five minutes), not with Haven's verifier, and answers 401 when it does not hold. It can be told
// to answer late, never, or with a given status.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedWebhook = {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  signatureValid: boolean;
};

export type WebhookReceiver = {
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Answers the next request with this status and headers (after checking and recording it). */
  respondNext(status: number, headers?: Record<string, string>): void;
  /** Waits this long before answering the next request. */
  delayNext(ms: number): void;
  /** Never answers the next request. */
  stallNext(): void;
  close(): Promise<void>;
};

/** Starts the receiver on 127.0.0.1 and an ephemeral port; requests are checked against `secret`. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const plans: (
    | { kind: 'status'; status: number; headers: Record<string, string> }
    | { kind: 'delay'; ms: number }
    | { kind: 'stall' }
  )[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signatureValid = checkSignature(secret, req.headers, body);
      received.push({ path: req.url ?? '', headers: req.headers, body, signatureValid });
      const plan = plans.shift();
      if (plan?.kind === 'stall') return;
      const answer = () => {
        if (!signatureValid) {
          res.writeHead(401).end();
        } else if (plan?.kind === 'status') {
          res.writeHead(plan.status, plan.headers).end();
        } else {
          res.writeHead(204).end();
        }
      };
      if (plan?.kind === 'delay') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, plan.ms);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    respondNext(status, headers = {}) {
      plans.push({ kind: 'status', status, headers });
    },
    delayNext(ms) {
      plans.push({ kind: 'delay', ms });
    },
    stallNext() {
      plans.push({ kind: 'stall' });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function checkSignature(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const timestamp = headers['x-haven-timestamp'];
  const signature = headers['x-haven-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(signature.replace(/^v1=/, ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
