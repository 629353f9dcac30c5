import type { SmtpChannelConfig } from '../../channels/email-smtp.ts';
import type { HttpSmsConfig } from '../../channels/sms-http.ts';
import { twilioPreset } from '../../channels/sms-http.ts';
import type { SmppChannelConfig } from '../../channels/sms-smpp.ts';
import type { WebPushChannelConfig } from '../../channels/web-push.ts';
import {
  DEFAULT_CHANNEL_ORDER,
  type DeliveryChannel,
  type PersonChannel,
  parseChannelOrder,
} from '../../domain/delivery/channel-order.ts';
import type { RetryPolicy } from '../../domain/delivery/outcome.ts';
import { MAX_SMS_SEGMENTS } from '../../domain/messaging/sms-encoding.ts';
import { canonicalLanguageTag } from '../../domain/reference/languages.ts';
import { ConfigError } from '../../errors.ts';

/** How fast one worker process drives one channel: messages per second (null: no limit), burst, concurrency. */
export type ChannelLimits = { ratePerSecond: number | null; burst: number; concurrency: number };

/** A partner system that receives every public alert (of its countries) as a signed webhook. */
export type WebhookTarget = {
  name: string;
  url: string;
  secret: string;
  /** The language block it receives; null: the alert's first block. */
  language: string | null;
  /** Host countries it wants alerts for; empty: all. */
  countries: string[];
};

/** How this deployment delivers alerts: fan-out, retries, leases, limits and the configured channels. */
export type DeliverySettings = {
  /** Base of reply links: `<publicUrl>/r/<token>`. */
  publicUrl: string;
  channelOrder: PersonChannel[];
  /** Alerts at this level or above go out on every channel at once (0: never). */
  allChannelsLevel: number;
  retry: RetryPolicy;
  /** How long a claimed row stays with its worker without a heartbeat. */
  leaseMs: number;
  /** Longest pause between polls of an idle worker. */
  pollMs: number;
  /** Most rows claimed at once. */
  claimBatch: number;
  /** Alerts with at most this many recipients are fanned out inside the issue transaction. */
  inlineFanoutLimit: number;
  /** Recipients per batch of the resumable fan-out. */
  fanoutBatch: number;
  /** Slices a large alert's fan-out is split into, written in parallel on PostgreSQL. */
  fanoutSlices: number;
  /** Most segments of an SMS, reply link included. */
  smsMaxSegments: number;
  replyTokenTtlDays: number;
  /** Explicit reply-token secret; null: derived from the data key. */
  replyTokenSecret: Buffer | null;
  limits: Record<DeliveryChannel, ChannelLimits>;
  smpp: SmppChannelConfig | null;
  smsHttp: HttpSmsConfig | null;
  /**
   * Delivery receipts an HTTP gateway posts to `/api/delivery/receipts/<provider>`: `twilio` signed with
   * the account's auth token (X-Twilio-Signature), `generic` with Haven's webhook scheme under a secret.
   */
  smsReceipts: { twilio: { authToken: string } | null; generic: { secret: string } | null };
  smtp: SmtpChannelConfig | null;
  push: WebPushChannelConfig | null;
  webhooks: WebhookTarget[];
  /** Whole-request deadline of a partner webhook. */
  webhookTimeoutMs: number;
};

type Variable = { name: string; default: string; description: string };

const LIMIT_DEFAULTS: Record<DeliveryChannel, { rate: number; concurrency: number }> = {
  sms: { rate: 50, concurrency: 10 },
  email: { rate: 20, concurrency: 5 },
  push: { rate: 200, concurrency: 50 },
  webhook: { rate: 10, concurrency: 4 },
};

/** Every variable the delivery settings are read from, with its default and meaning; src/config.ts lists them with the others. */
export const DELIVERY_SETTING_VARIABLES: readonly Variable[] = [
  {
    name: 'HAVEN_PUBLIC_URL',
    default: 'http://localhost:8080',
    description: 'Public base URL of Haven; reply links are `<URL>/r/<token>`.',
  },
  {
    name: 'HAVEN_DELIVERY_CHANNEL_ORDER',
    default: 'push,sms,email',
    description: "Order in which a person's channels are tried; a channel left out is never used.",
  },
  {
    name: 'HAVEN_DELIVERY_ALL_CHANNELS_LEVEL',
    default: '3',
    description: 'Alerts at this level or above go out on every channel at once (0: never).',
  },
  {
    name: 'HAVEN_DELIVERY_MAX_ATTEMPTS',
    default: '8',
    description: 'Attempts before a delivery that keeps failing temporarily is dead.',
  },
  {
    name: 'HAVEN_DELIVERY_RETRY_BASE_MS',
    default: '2000',
    description: 'First retry waits up to this long (full jitter); each next one up to twice as long.',
  },
  {
    name: 'HAVEN_DELIVERY_RETRY_MAX_MS',
    default: '300000',
    description: "Longest wait between two attempts, also the cap on a provider's Retry-After.",
  },
  {
    name: 'HAVEN_DELIVERY_LEASE_MS',
    default: '30000',
    description:
      "A crashed worker's claimed rows go back to the queue after this long (live workers renew their leases).",
  },
  {
    name: 'HAVEN_DELIVERY_POLL_MS',
    default: '250',
    description: 'Longest pause of an idle worker between two looks at the outbox.',
  },
  {
    name: 'HAVEN_DELIVERY_CLAIM_BATCH',
    default: '200',
    description: 'Most rows a worker claims at once (it never claims more than it can send now).',
  },
  {
    name: 'HAVEN_DELIVERY_INLINE_LIMIT',
    default: '10000',
    description:
      'Alerts with at most this many recipients are fanned out in the issue transaction; larger ones by a resumable job.',
  },
  {
    name: 'HAVEN_DELIVERY_FANOUT_BATCH',
    default: '50000',
    description: 'Recipients written per batch of the resumable fan-out.',
  },
  {
    name: 'HAVEN_DELIVERY_FANOUT_SLICES',
    default: '2',
    description:
      "A large alert's fan-out is split into this many slices; on PostgreSQL each worker writes up to this many at once (SQLite writes one at a time).",
  },
  {
    name: 'HAVEN_DELIVERY_SMS_MAX_SEGMENTS',
    default: '4',
    description: 'Most segments of an SMS, reply link included; longer ones are dead with message.too_long.',
  },
  {
    name: 'HAVEN_REPLY_TOKEN_SECRET',
    default: '(derived from the data key)',
    description: 'Secret (at least 32 bytes, base64) signing reply links.',
  },
  { name: 'HAVEN_REPLY_TOKEN_TTL_DAYS', default: '30', description: 'How long a reply link stays valid.' },
  ...(['SMS', 'EMAIL', 'PUSH', 'WEBHOOK'] as const).flatMap((name) => {
    const d = LIMIT_DEFAULTS[name.toLowerCase() as DeliveryChannel];
    return [
      {
        name: `HAVEN_${name}_RATE`,
        default: String(d.rate),
        description: `${name === 'SMS' ? 'SMS' : name.charAt(0) + name.slice(1).toLowerCase()} messages per second, per worker process (0: no limit).`,
      },
      {
        name: `HAVEN_${name}_CONCURRENCY`,
        default: String(d.concurrency),
        description: `${name === 'SMS' ? 'SMS' : name.charAt(0) + name.slice(1).toLowerCase()} sends in flight at once, per worker process.`,
      },
    ];
  }),
  {
    name: 'HAVEN_SMPP_HOST',
    default: '(unset: no SMPP)',
    description: 'SMS centre host; setting it selects SMPP for SMS.',
  },
  { name: 'HAVEN_SMPP_PORT', default: '2775', description: 'SMS centre port.' },
  {
    name: 'HAVEN_SMPP_SYSTEM_ID',
    default: '(required with HAVEN_SMPP_HOST)',
    description: 'SMPP bind system_id.',
  },
  { name: 'HAVEN_SMPP_PASSWORD', default: '(empty)', description: 'SMPP bind password.' },
  { name: 'HAVEN_SMPP_SYSTEM_TYPE', default: '(empty)', description: 'SMPP bind system_type.' },
  {
    name: 'HAVEN_SMPP_SOURCE_ADDR',
    default: '(required with HAVEN_SMPP_HOST)',
    description: 'Sender: an E.164 number or an alphanumeric name of up to 11 characters.',
  },
  { name: 'HAVEN_SMPP_WINDOW', default: '10', description: 'submit_sm outstanding at once on the bind.' },
  {
    name: 'HAVEN_SMPP_ENQUIRE_LINK_MS',
    default: '30000',
    description: 'enquire_link period on an idle bind.',
  },
  {
    name: 'HAVEN_SMPP_RESPONSE_TIMEOUT_MS',
    default: '10000',
    description: 'Wait for a submit_sm_resp (or bind, enquire_link) before answering retry.',
  },
  {
    name: 'HAVEN_SMS_HTTP_PRESET',
    default: '(unset: no HTTP gateway)',
    description:
      "`twilio` (an API shaped like Twilio's) or `generic` (templated JSON or form POST). Used when SMPP is not set.",
  },
  {
    name: 'HAVEN_SMS_HTTP_URL',
    default: '(required with a preset)',
    description: 'twilio: API base URL (default https://api.twilio.com); generic: endpoint template.',
  },
  {
    name: 'HAVEN_SMS_HTTP_ACCOUNT',
    default: '(empty)',
    description: 'twilio: Account SID; generic: value of {account}.',
  },
  {
    name: 'HAVEN_SMS_HTTP_TOKEN',
    default: '(empty)',
    description: 'twilio: Auth Token; generic: value of {token}.',
  },
  {
    name: 'HAVEN_SMS_HTTP_FROM',
    default: '(required with a preset)',
    description: 'Sender number or id, the value of {from}.',
  },
  { name: 'HAVEN_SMS_HTTP_FORMAT', default: 'json', description: 'generic: `json` or `form` body.' },
  {
    name: 'HAVEN_SMS_HTTP_BODY',
    default: '{"to":"{to}","from":"{from}","text":"{text}"}',
    description:
      'generic: body template as JSON; placeholders {to} {text} {from} {deliveryId} {account} {token}.',
  },
  {
    name: 'HAVEN_SMS_HTTP_AUTH_HEADER',
    default: '(none)',
    description: 'generic: one header, `Name: value template`, e.g. `Authorization: Bearer {token}`.',
  },
  {
    name: 'HAVEN_SMS_HTTP_ID_FIELD',
    default: '(none)',
    description: 'generic: dotted path of the message id in the JSON answer.',
  },
  {
    name: 'HAVEN_SMS_HTTP_ERROR_FIELD',
    default: '(none)',
    description: 'generic: dotted path of the provider error code in a JSON error answer.',
  },
  {
    name: 'HAVEN_SMS_HTTP_RECEIPT_SECRET',
    default: '(unset: no generic receipts)',
    description:
      'generic: secret (at least 16 characters) signing delivery receipts posted to `/api/delivery/receipts/generic` (X-Haven-Timestamp, X-Haven-Signature). The twilio preset asks for receipts at `/api/delivery/receipts/twilio`, signed with its auth token.',
  },
  {
    name: 'HAVEN_SMS_HTTP_TIMEOUT_MS',
    default: '10000',
    description: 'Whole-request deadline of a gateway POST; a slower answer is retried.',
  },
  {
    name: 'HAVEN_SMTP_URL',
    default: '(unset: no e-mail)',
    description: '`smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`.',
  },
  {
    name: 'HAVEN_SMTP_FROM',
    default: '(required with HAVEN_SMTP_URL)',
    description: 'Sender, e.g. `Embassy Alerts <alerts@embassy.example>`.',
  },
  { name: 'HAVEN_SMTP_REPLY_TO', default: '(none)', description: 'Reply-To of alert e-mails.' },
  {
    name: 'HAVEN_VAPID_PUBLIC_KEY',
    default: '(unset: no web push)',
    description: 'VAPID public key (base64url).',
  },
  { name: 'HAVEN_VAPID_PRIVATE_KEY', default: '(unset)', description: 'VAPID private key (base64url).' },
  {
    name: 'HAVEN_VAPID_SUBJECT',
    default: '(required with VAPID keys)',
    description: 'VAPID contact: a `mailto:` or `https:` URL.',
  },
  {
    name: 'HAVEN_WEBHOOK_TIMEOUT_MS',
    default: '5000',
    description: 'Whole-request deadline of a partner webhook; a slower partner is retried.',
  },
  {
    name: 'HAVEN_WEBHOOK_TARGETS',
    default: '[]',
    description:
      'Partner webhooks as JSON: `[{"name":"ngo","url":"https://…","secret":"…","language":"en","countries":["AE"]}]`; each gets every public alert of its countries.',
  },
];

type Env = Record<string, string | undefined>;

const text = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function required(env: Env, name: string, because: string): string {
  const value = text(env, name);
  if (value === undefined) throw new ConfigError(`${name} is required when ${because} is set`);
  return value;
}

function limitsFrom(env: Env): Record<DeliveryChannel, ChannelLimits> {
  const out = {} as Record<DeliveryChannel, ChannelLimits>;
  for (const channel of Object.keys(LIMIT_DEFAULTS) as DeliveryChannel[]) {
    const upper = channel.toUpperCase();
    const d = LIMIT_DEFAULTS[channel];
    const rate = integer(env, `HAVEN_${upper}_RATE`, d.rate, 0, 1_000_000);
    const concurrency = integer(env, `HAVEN_${upper}_CONCURRENCY`, d.concurrency, 1, 10_000);
    out[channel] = {
      ratePerSecond: rate === 0 ? null : rate,
      // One second's worth, so a worker that waited does not release more than a second's traffic at once.
      burst: Math.max(1, rate),
      concurrency,
    };
  }
  return out;
}

function smppFrom(env: Env): SmppChannelConfig | null {
  const host = text(env, 'HAVEN_SMPP_HOST');
  if (host === undefined) return null;
  return {
    host,
    port: integer(env, 'HAVEN_SMPP_PORT', 2775, 1, 65535),
    systemId: required(env, 'HAVEN_SMPP_SYSTEM_ID', 'HAVEN_SMPP_HOST'),
    password: env.HAVEN_SMPP_PASSWORD ?? '',
    ...(text(env, 'HAVEN_SMPP_SYSTEM_TYPE') ? { systemType: text(env, 'HAVEN_SMPP_SYSTEM_TYPE') } : {}),
    sourceAddr: required(env, 'HAVEN_SMPP_SOURCE_ADDR', 'HAVEN_SMPP_HOST'),
    window: integer(env, 'HAVEN_SMPP_WINDOW', 10, 1, 1000),
    enquireLinkIntervalMs: integer(env, 'HAVEN_SMPP_ENQUIRE_LINK_MS', 30_000, 1000),
    responseTimeoutMs: integer(env, 'HAVEN_SMPP_RESPONSE_TIMEOUT_MS', 10_000, 100),
    // A message that cannot get a window for this long goes back to the outbox rather than holding its lease.
    queueTimeoutMs: 15_000,
  };
}

function smsHttpFrom(env: Env, publicUrl: string): HttpSmsConfig | null {
  const preset = text(env, 'HAVEN_SMS_HTTP_PRESET');
  if (preset === undefined) return null;
  const from = required(env, 'HAVEN_SMS_HTTP_FROM', 'HAVEN_SMS_HTTP_PRESET');
  const timeoutMs = integer(env, 'HAVEN_SMS_HTTP_TIMEOUT_MS', 10_000, 100);
  if (preset === 'twilio') {
    const config = twilioPreset({
      accountSid: required(env, 'HAVEN_SMS_HTTP_ACCOUNT', 'HAVEN_SMS_HTTP_PRESET=twilio'),
      authToken: required(env, 'HAVEN_SMS_HTTP_TOKEN', 'HAVEN_SMS_HTTP_PRESET=twilio'),
      from,
      ...(text(env, 'HAVEN_SMS_HTTP_URL') ? { baseUrl: text(env, 'HAVEN_SMS_HTTP_URL') } : {}),
      statusCallback: `${publicUrl}/api/delivery/receipts/twilio`,
    });
    return { ...config, timeoutMs };
  }
  if (preset !== 'generic')
    throw new ConfigError(`HAVEN_SMS_HTTP_PRESET must be twilio or generic (got "${preset}")`);
  const format = text(env, 'HAVEN_SMS_HTTP_FORMAT') ?? 'json';
  if (format !== 'json' && format !== 'form')
    throw new ConfigError('HAVEN_SMS_HTTP_FORMAT must be json or form');
  let body: HttpSmsConfig['body'];
  try {
    body = JSON.parse(text(env, 'HAVEN_SMS_HTTP_BODY') ?? '{"to":"{to}","from":"{from}","text":"{text}"}');
  } catch {
    throw new ConfigError('HAVEN_SMS_HTTP_BODY must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConfigError('HAVEN_SMS_HTTP_BODY must be a JSON object');
  }
  const header = text(env, 'HAVEN_SMS_HTTP_AUTH_HEADER');
  const colon = header?.indexOf(':') ?? -1;
  if (header !== undefined && colon < 1)
    throw new ConfigError('HAVEN_SMS_HTTP_AUTH_HEADER must read "Name: value"');
  const idField = text(env, 'HAVEN_SMS_HTTP_ID_FIELD');
  const errorField = text(env, 'HAVEN_SMS_HTTP_ERROR_FIELD');
  return {
    url: required(env, 'HAVEN_SMS_HTTP_URL', 'HAVEN_SMS_HTTP_PRESET=generic'),
    format,
    body,
    from,
    variables: { account: env.HAVEN_SMS_HTTP_ACCOUNT ?? '', token: env.HAVEN_SMS_HTTP_TOKEN ?? '' },
    ...(header
      ? {
          auth: {
            kind: 'header' as const,
            name: header.slice(0, colon).trim(),
            value: header.slice(colon + 1).trim(),
          },
        }
      : {}),
    ...(idField ? { providerIdField: idField } : {}),
    ...(errorField ? { errorCodeField: errorField } : {}),
    timeoutMs,
  };
}

function smtpFrom(env: Env): SmtpChannelConfig | null {
  const raw = text(env, 'HAVEN_SMTP_URL');
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('HAVEN_SMTP_URL is not a URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError('HAVEN_SMTP_URL must start with smtp:// or smtps://');
  }
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    from: required(env, 'HAVEN_SMTP_FROM', 'HAVEN_SMTP_URL'),
    ...(text(env, 'HAVEN_SMTP_REPLY_TO') ? { replyTo: text(env, 'HAVEN_SMTP_REPLY_TO') } : {}),
  };
}

function pushFrom(env: Env): WebPushChannelConfig | null {
  const publicKey = text(env, 'HAVEN_VAPID_PUBLIC_KEY');
  const privateKey = text(env, 'HAVEN_VAPID_PRIVATE_KEY');
  if (publicKey === undefined && privateKey === undefined) return null;
  if (publicKey === undefined || privateKey === undefined) {
    throw new ConfigError('HAVEN_VAPID_PUBLIC_KEY and HAVEN_VAPID_PRIVATE_KEY are set together');
  }
  const subject = required(env, 'HAVEN_VAPID_SUBJECT', 'HAVEN_VAPID_PUBLIC_KEY');
  if (!/^(mailto:|https:\/\/)/.test(subject))
    throw new ConfigError('HAVEN_VAPID_SUBJECT must be a mailto: or https: URL');
  return { vapid: { publicKey, privateKey, subject } };
}

function webhooksFrom(env: Env): WebhookTarget[] {
  const raw = text(env, 'HAVEN_WEBHOOK_TARGETS');
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('HAVEN_WEBHOOK_TARGETS must be a JSON array');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('HAVEN_WEBHOOK_TARGETS must be a JSON array');
  const names = new Set<string>();
  return parsed.map((item: unknown, i) => {
    const t = (item ?? {}) as Record<string, unknown>;
    const where = `HAVEN_WEBHOOK_TARGETS[${i}]`;
    if (typeof t.name !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(t.name)) {
      throw new ConfigError(`${where}.name must be lower-case letters, digits, - or _ (at most 40)`);
    }
    if (names.has(t.name)) throw new ConfigError(`${where}.name "${t.name}" is used twice`);
    names.add(t.name);
    if (typeof t.url !== 'string' || !URL.canParse(t.url) || !/^https?:$/.test(new URL(t.url).protocol)) {
      throw new ConfigError(`${where}.url must be an http(s) URL`);
    }
    if (typeof t.secret !== 'string' || t.secret.length < 16) {
      throw new ConfigError(`${where}.secret must be at least 16 characters`);
    }
    const language = typeof t.language === 'string' ? (canonicalLanguageTag(t.language) ?? null) : null;
    const countries = Array.isArray(t.countries) ? t.countries.map((c) => String(c).toUpperCase()) : [];
    return { name: t.name, url: t.url, secret: t.secret, language, countries };
  });
}

function smsReceiptsFrom(env: Env): DeliverySettings['smsReceipts'] {
  const preset = text(env, 'HAVEN_SMS_HTTP_PRESET');
  const token = text(env, 'HAVEN_SMS_HTTP_TOKEN');
  const secret = text(env, 'HAVEN_SMS_HTTP_RECEIPT_SECRET');
  if (secret !== undefined && secret.length < 16)
    throw new ConfigError('HAVEN_SMS_HTTP_RECEIPT_SECRET must be at least 16 characters');
  return {
    twilio: preset === 'twilio' && token !== undefined ? { authToken: token } : null,
    generic: secret !== undefined ? { secret } : null,
  };
}

function replySecretFrom(env: Env): Buffer | null {
  const raw = text(env, 'HAVEN_REPLY_TOKEN_SECRET');
  if (raw === undefined) return null;
  const secret = Buffer.from(raw, 'base64');
  if (secret.length < 32)
    throw new ConfigError('HAVEN_REPLY_TOKEN_SECRET must be at least 32 bytes in base64');
  return secret;
}

/** Reads the delivery settings, refusing the first bad value with a ConfigError. */
export function deliverySettingsFrom(env: Env): DeliverySettings {
  const publicUrl = (text(env, 'HAVEN_PUBLIC_URL') ?? 'http://localhost:8080').replace(/\/+$/, '');
  if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol)) {
    throw new ConfigError('HAVEN_PUBLIC_URL must be an http(s) URL');
  }
  let channelOrder: PersonChannel[];
  try {
    channelOrder = parseChannelOrder(
      text(env, 'HAVEN_DELIVERY_CHANNEL_ORDER') ?? DEFAULT_CHANNEL_ORDER.join(','),
    );
  } catch (err) {
    throw new ConfigError(`HAVEN_DELIVERY_CHANNEL_ORDER: ${(err as Error).message}`);
  }
  const baseMs = integer(env, 'HAVEN_DELIVERY_RETRY_BASE_MS', 2000, 1);
  const maxMs = integer(env, 'HAVEN_DELIVERY_RETRY_MAX_MS', 300_000, 1);
  if (maxMs < baseMs)
    throw new ConfigError('HAVEN_DELIVERY_RETRY_MAX_MS must be at least HAVEN_DELIVERY_RETRY_BASE_MS');
  return {
    publicUrl,
    channelOrder,
    allChannelsLevel: integer(env, 'HAVEN_DELIVERY_ALL_CHANNELS_LEVEL', 3, 0, 99),
    retry: { baseMs, maxMs, factor: 2, maxAttempts: integer(env, 'HAVEN_DELIVERY_MAX_ATTEMPTS', 8, 1, 100) },
    leaseMs: integer(env, 'HAVEN_DELIVERY_LEASE_MS', 30_000, 300),
    pollMs: integer(env, 'HAVEN_DELIVERY_POLL_MS', 250, 10, 60_000),
    claimBatch: integer(env, 'HAVEN_DELIVERY_CLAIM_BATCH', 200, 1, 10_000),
    inlineFanoutLimit: integer(env, 'HAVEN_DELIVERY_INLINE_LIMIT', 10_000, 0),
    fanoutBatch: integer(env, 'HAVEN_DELIVERY_FANOUT_BATCH', 50_000, 100, 1_000_000),
    fanoutSlices: integer(env, 'HAVEN_DELIVERY_FANOUT_SLICES', 2, 1, 64),
    smsMaxSegments: integer(env, 'HAVEN_DELIVERY_SMS_MAX_SEGMENTS', 4, 1, MAX_SMS_SEGMENTS),
    replyTokenTtlDays: integer(env, 'HAVEN_REPLY_TOKEN_TTL_DAYS', 30, 1, 3650),
    replyTokenSecret: replySecretFrom(env),
    limits: limitsFrom(env),
    smpp: smppFrom(env),
    smsHttp: smsHttpFrom(env, publicUrl),
    smsReceipts: smsReceiptsFrom(env),
    smtp: smtpFrom(env),
    push: pushFrom(env),
    webhooks: webhooksFrom(env),
    webhookTimeoutMs: integer(env, 'HAVEN_WEBHOOK_TIMEOUT_MS', 5000, 100),
  };
}

let current: DeliverySettings | undefined;

/**
 * Makes a loaded Config's delivery settings the process's: the web app does at start, so that issuing an
 * alert and queuing a direct message use what the Config validated.
 */
export function installDeliverySettings(settings: DeliverySettings): void {
  current = settings;
}

/**
 * The process's delivery settings: its Config's. A process that loaded no Config (a script, a unit test)
 * gets what its Config would hold, read once from the same variables.
 */
export function currentDeliverySettings(): DeliverySettings {
  current ??= deliverySettingsFrom(process.env);
  return current;
}
