// Signed webhooks to partner systems (a host government's emergency service, an NGO, an insurer's
// assistance line). Each POST carries `X-Haven-Timestamp` and `X-Haven-Signature: v1=<hex HMAC-SHA256 of
// "<timestamp>.<body>">` under the partner's secret, so the partner can check origin and freshness.
// The same scheme guards webhooks Haven receives, through `verifyWebhookSignature`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Channel, failed, type OutboundMessage, retry, type SendResult, sent } from './channel.ts';
import { createHttpAgents, parseRetryAfter, postWithDeadline } from './http-post.ts';

export const TIMESTAMP_HEADER = 'X-Haven-Timestamp';
export const SIGNATURE_HEADER = 'X-Haven-Signature';
export const DELIVERY_ID_HEADER = 'X-Haven-Delivery-Id';

export type WebhookChannelConfig = {
  /** The partner's shared secret for a webhook URL; undefined when the URL belongs to no partner. */
  secretFor: (url: URL) => string | undefined;
  /** Whole-request deadline (default 5 s): a slow partner costs at most this, then answers retry. */
  timeoutMs?: number;
  /** Extra trusted certificates (a partner behind a private CA). */
  ca?: string;
  /** Connections kept per partner host (default 8). */
  maxSockets?: number;
  /** Clock, for tests; seconds since the epoch go in the timestamp header. */
  now?: () => Date;
};

/** Why a signature was not accepted. */
export type WebhookSignatureCheck =
  | { ok: true }
  | {
      ok: false;
      code: 'webhook.signature_malformed' | 'webhook.signature_stale' | 'webhook.signature_invalid';
    };

/** The body a partner receives: the message, its delivery id (for their de-duplication) and metadata. */
export function webhookBody(message: OutboundMessage): string {
  return JSON.stringify({
    id: message.deliveryId,
    subject: message.subject ?? null,
    text: message.text,
    html: message.html ?? null,
    metadata: message.metadata ?? {},
  });
}

/** The signature header value for a body sent at a timestamp (Unix seconds): `v1=<hex>`. */
export function signWebhook(secret: string, timestamp: string | number, body: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `v1=${mac.digest('hex')}`;
}

/**
 * Checks a received webhook: the timestamp must be Unix seconds within `toleranceSeconds` of `now`
 * (either side, which closes the replay window), and one of the `v1=` signatures in the header (several
 * may be sent, comma-separated, while a secret is rotated) must match, compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number,
  body: string | Buffer,
  signature: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): WebhookSignatureCheck {
  const tolerance = options.toleranceSeconds ?? 300;
  const text = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(text)) return { ok: false, code: 'webhook.signature_malformed' };
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (candidates.length === 0 || candidates.some((c) => !/^[0-9a-f]{64}$/i.test(c))) {
    return { ok: false, code: 'webhook.signature_malformed' };
  }
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(text)) > tolerance) return { ok: false, code: 'webhook.signature_stale' };
  const expected = Buffer.from(signWebhook(secret, text, body).slice(3), 'hex');
  let match = false;
  for (const candidate of candidates) {
    // Every candidate is compared, so the time taken does not reveal which one matched.
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) match = true;
  }
  return match ? { ok: true } : { ok: false, code: 'webhook.signature_invalid' };
}

/** Creates the webhook channel; `to` of each message is the partner's webhook URL. */
export function createWebhookChannel(config: WebhookChannelConfig): Channel {
  const agents = createHttpAgents({
    maxSockets: config.maxSockets ?? 8,
    ...(config.ca === undefined ? {} : { ca: config.ca }),
  });
  const timeoutMs = config.timeoutMs ?? 5000;
  const now = config.now ?? (() => new Date());
  let closed = false;

  return {
    name: 'webhook',
    kind: 'webhook',
    async send(message: OutboundMessage): Promise<SendResult> {
      if (closed) return retry('channel.closed');
      if (!URL.canParse(message.to)) return failed('webhook.invalid_url');
      const url = new URL(message.to);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return failed('webhook.invalid_url');
      const secret = config.secretFor(url);
      if (secret === undefined) return failed('webhook.unknown_partner');
      const body = webhookBody(message);
      const timestamp = Math.floor(now().getTime() / 1000);
      const outcome = await postWithDeadline(url, {
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Haven-Webhook/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          [DELIVERY_ID_HEADER]: message.deliveryId,
        },
        body,
        timeoutMs,
        agents,
      });
      if (outcome.kind === 'timeout') return retry('webhook.timeout');
      if (outcome.kind === 'network') return retry('webhook.unavailable', { detail: outcome.errorCode });
      const { status, headers } = outcome.answer;
      const detail = `HTTP ${status}`;
      if (status >= 200 && status < 300) return sent();
      if (status === 429 || status === 408) {
        const after = parseRetryAfter(headers['retry-after'], now().getTime());
        return retry('webhook.throttled', after === undefined ? { detail } : { retryAfterMs: after, detail });
      }
      if (status >= 500) return retry('webhook.http_5xx', { detail });
      // A signed request is never replayed to another address, so redirects are not followed.
      if (status >= 300 && status < 400) return failed('webhook.http_3xx', detail);
      return failed('webhook.http_4xx', detail);
    },
    async close() {
      closed = true;
      agents.destroy();
    },
  };
}
