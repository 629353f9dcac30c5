// Web Push with VAPID (RFC 8292) through the `web-push` library: the payload is encrypted for the
// subscription's keys with aes128gcm (RFC 8291) and POSTed to the push service named by the
// subscription's endpoint. 404/410 mean the subscription is gone and should be removed.
import webpush from 'web-push';
import { type Channel, failed, gone, type OutboundMessage, retry, type SendResult, sent } from './channel.ts';
import { createHttpAgents, parseRetryAfter, postWithDeadline } from './http-post.ts';

/** VAPID identity: a contact (`mailto:` or `https:` URL) and the P-256 key pair, base64url. */
export type VapidKeys = { publicKey: string; privateKey: string };

export type WebPushChannelConfig = {
  vapid: VapidKeys & { subject: string };
  /** How long the push service keeps an undelivered message (default 24 h). */
  ttlSeconds?: number;
  /** Push urgency (RFC 8030 §5.3); alerts default to high so devices wake for them. */
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  /** Whole-request deadline (default 10 s). */
  timeoutMs?: number;
  /** Extra trusted certificates (a push service behind a private CA). */
  ca?: string;
  /**
   * Which endpoints may be contacted. Endpoints come from browsers, so by default only https URLs on
   * a non-loopback, non-private host name are allowed: a forged subscription must not turn the server
   * into a proxy into its own network.
   */
  allowEndpoint?: (endpoint: URL) => boolean;
};

/** The largest payload that fits one aes128gcm record in the 4096 bytes push services accept. */
export const MAX_PUSH_PAYLOAD_BYTES = 4096 - 86 - 1 - 16;

/** Generates a VAPID key pair for a deployment's configuration. */
export function generateVapidKeys(): VapidKeys {
  return webpush.generateVAPIDKeys();
}

/** The JSON a Haven service worker receives: the alert's title and body, its delivery id and metadata. */
export function pushPayload(message: OutboundMessage): string {
  return JSON.stringify({
    id: message.deliveryId,
    title: message.subject ?? '',
    body: message.text,
    data: message.metadata ?? {},
  });
}

type Subscription = { endpoint: string; keys: { p256dh: string; auth: string } };

/** Creates the Web Push channel. */
export function createWebPushChannel(config: WebPushChannelConfig): Channel {
  const agents = createHttpAgents(config.ca === undefined ? {} : { ca: config.ca });
  const allow = config.allowEndpoint ?? isPublicHttpsEndpoint;
  const timeoutMs = config.timeoutMs ?? 10_000;
  let closed = false;

  return {
    name: 'web-push',
    kind: 'push',
    async send(message: OutboundMessage): Promise<SendResult> {
      if (closed) return retry('channel.closed');
      const subscription = parseSubscription(message.to);
      if (!subscription) return failed('push.invalid_subscription', 'not a push subscription');
      const endpoint = new URL(subscription.endpoint);
      if (!allow(endpoint)) return failed('push.invalid_subscription', 'endpoint not allowed');
      const payload = pushPayload(message);
      const size = Buffer.byteLength(payload);
      if (size > MAX_PUSH_PAYLOAD_BYTES) {
        return failed('message.too_long', `${size} bytes, limit ${MAX_PUSH_PAYLOAD_BYTES}`);
      }
      let request: ReturnType<typeof webpush.generateRequestDetails>;
      try {
        request = webpush.generateRequestDetails(subscription, payload, {
          vapidDetails: config.vapid,
          TTL: config.ttlSeconds ?? 86_400,
          urgency: config.urgency ?? 'high',
          contentEncoding: 'aes128gcm',
        });
      } catch {
        // The library refuses keys that are not valid P-256 points or auth secrets.
        return failed('push.invalid_subscription', 'subscription keys rejected');
      }
      const headers: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = value as string | number;
      const outcome = await postWithDeadline(endpoint, {
        headers,
        body: request.body ?? Buffer.alloc(0),
        timeoutMs,
        agents,
      });
      if (outcome.kind === 'timeout') return retry('push.timeout');
      if (outcome.kind === 'network') return retry('push.unavailable', { detail: outcome.errorCode });
      const { status, headers: answerHeaders } = outcome.answer;
      const detail = `HTTP ${status}`;
      if (status >= 200 && status < 300) {
        const location = answerHeaders.location;
        return sent(typeof location === 'string' ? location : undefined);
      }
      if (status === 404 || status === 410) return gone('push.gone');
      if (status === 413) return failed('message.too_long', detail);
      if (status === 429) {
        const after = parseRetryAfter(answerHeaders['retry-after'], Date.now());
        return retry('push.throttled', after === undefined ? { detail } : { retryAfterMs: after, detail });
      }
      if (status >= 500) return retry('push.unavailable', { detail });
      return failed('push.rejected', detail);
    },
    async close() {
      closed = true;
      agents.destroy();
    },
  };
}

function parseSubscription(text: string): Subscription | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { endpoint, keys } = value as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } };
  if (typeof endpoint !== 'string' || typeof keys?.p256dh !== 'string' || typeof keys.auth !== 'string') {
    return undefined;
  }
  if (!URL.canParse(endpoint)) return undefined;
  return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}

/** True for an https URL whose host is a name or public address, not loopback or a private range. */
export function isPublicHttpsEndpoint(url: URL): boolean {
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return !(
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.includes(':')) {
    return !(
      host === '::1' ||
      host === '::' ||
      /^f[cd]/.test(host) ||
      /^fe[89ab]/.test(host) ||
      host.startsWith('::ffff:')
    );
  }
  return true;
}
