// The one interface every delivery channel (SMPP, HTTP SMS gateway, SMTP, Web Push, partner webhooks)
// sits behind. The outbox hands a channel one message at a time and records the coded result; a channel
// never throws for a delivery problem, it answers with a SendResult.

/** The kinds of channel a person can be reached on; the outbox orders fallbacks by kind. */
export type ChannelKind = 'sms' | 'email' | 'push' | 'webhook';

/**
 * One message to one recipient. `to` is an E.164 phone number (SMS), an e-mail address, a push
 * subscription as JSON (`{"endpoint":…,"keys":{"p256dh":…,"auth":…}}`) or a webhook URL.
 */
export type OutboundMessage = {
  deliveryId: string;
  to: string;
  subject?: string;
  text: string;
  html?: string;
  metadata?: Record<string, string>;
};

/**
 * Stable outcome codes. They are recorded on the delivery and shown to operators, so they never carry
 * free text from a provider; details go in `detail`, which holds no personal data either.
 */
export type ChannelCode =
  | 'message.too_long'
  | 'channel.closed'
  | 'sms.throttled'
  | 'sms.queue_full'
  | 'sms.rejected_number'
  | 'sms.rejected'
  | 'sms.timeout'
  | 'sms.connection_lost'
  | 'sms.unavailable'
  | 'sms.smsc_error'
  | 'sms.http_4xx'
  | 'sms.http_5xx'
  | `sms.provider.${string}`
  | 'sms.undeliverable'
  | 'sms.expired'
  | 'sms.deleted'
  | 'sms.unknown_state'
  | 'smtp.bounced'
  | 'smtp.deferred'
  | 'smtp.rejected'
  | 'smtp.unavailable'
  | 'smtp.invalid_address'
  | 'push.gone'
  | 'push.rejected'
  | 'push.throttled'
  | 'push.unavailable'
  | 'push.timeout'
  | 'push.invalid_subscription'
  | 'webhook.timeout'
  | 'webhook.http_3xx'
  | 'webhook.http_4xx'
  | 'webhook.http_5xx'
  | 'webhook.throttled'
  | 'webhook.unavailable'
  | 'webhook.invalid_url'
  | 'webhook.unknown_partner';

/**
 * What became of one send. `retry`: a temporary problem, send again later (after `retryAfterMs` when the
 * provider said so). `failed`: permanent for this recipient, do not retry. `gone`: the address no longer
 * exists (an expired push subscription) and should be removed.
 */
export type SendResult =
  | { status: 'sent'; providerId?: string }
  | { status: 'retry'; code: ChannelCode; retryAfterMs?: number; detail?: string }
  | { status: 'failed'; code: ChannelCode; detail?: string }
  | { status: 'gone'; code: ChannelCode };

/** A provider's final word on a message it accepted earlier, matched by the id `send` answered. */
export type DeliveryReceipt = {
  providerId: string;
  status: 'delivered' | 'failed' | 'expired';
  code?: ChannelCode;
};

/** A text message sent by a person to one of our numbers (mobile-originated). */
export type InboundSms = { from: string; to: string; text: string };

/** Stops a listener registered with `onReceipt` or `onInbound`. */
export type Unsubscribe = () => void;

/** A delivery channel. `send` never rejects for a delivery problem; it answers a coded SendResult. */
export interface Channel {
  readonly name: string;
  readonly kind: ChannelKind;
  send(message: OutboundMessage): Promise<SendResult>;
  /** Stops taking messages, lets in-flight ones finish (bounded by their timeouts) and frees connections. */
  close(): Promise<void>;
  /** Delivery receipts, for channels whose provider reports them asynchronously. */
  onReceipt?(listener: (receipt: DeliveryReceipt) => void): Unsubscribe;
}

/** An SMS channel; one bound to an SMS centre also carries messages people send back. */
export interface SmsChannel extends Channel {
  readonly kind: 'sms';
  onInbound?(listener: (message: InboundSms) => void): Unsubscribe;
}

/** A `sent` result. */
export function sent(providerId?: string): SendResult {
  return providerId === undefined ? { status: 'sent' } : { status: 'sent', providerId };
}

/** A `retry` result; `retryAfterMs` and `detail` are left out when not given. */
export function retry(
  code: ChannelCode,
  options: { retryAfterMs?: number; detail?: string } = {},
): SendResult {
  const result: SendResult = { status: 'retry', code };
  if (options.retryAfterMs !== undefined) result.retryAfterMs = options.retryAfterMs;
  if (options.detail !== undefined) result.detail = options.detail;
  return result;
}

/** A `failed` result. */
export function failed(code: ChannelCode, detail?: string): SendResult {
  return detail === undefined ? { status: 'failed', code } : { status: 'failed', code, detail };
}

/** A `gone` result. */
export function gone(code: ChannelCode): SendResult {
  return { status: 'gone', code };
}

/**
 * A set of listeners for one kind of event. A listener that throws does not stop the others, nor the
 * protocol exchange that produced the event.
 */
export class Listeners<T> {
  readonly #listeners = new Set<(event: T) => void>();

  /** Adds a listener and returns the function that removes it. */
  add(listener: (event: T) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Calls every listener with the event. */
  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A consumer's bug must not break the SMPP session or the HTTP exchange that carried the event.
      }
    }
  }
}

/** True when the text is an E.164 phone number: a plus, a non-zero digit, then 6 to 14 more digits. */
export function isE164(text: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(text);
}
