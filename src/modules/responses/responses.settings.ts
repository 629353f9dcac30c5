import { ConfigError } from '../../errors.ts';

/** How replies are taken in: the group-commit writer of reply links, and inbound SMS. */
export type ResponseSettings = {
  /** Most link replies written in one transaction. */
  batchMax: number;
  /** Longest a link reply waits for others to share its transaction. */
  batchWaitMs: number;
  /** Transactions of link replies in flight at once; null: 1 on SQLite, 2 on PostgreSQL (fewer, larger batches cost the database less per reply than more, smaller ones). */
  batchConcurrency: number | null;
  /** Shared secret of the HTTP gateway's inbound webhook; null: the webhook is not configured. */
  inboundSecret: string | null;
  /** Accepted distance of the webhook's timestamp from now, either side. */
  inboundToleranceSeconds: number;
  /** At most this many messages from one number are read as answers within the window. */
  floodMax: number;
  floodWindowSeconds: number;
};

type Env = Record<string, string | undefined>;

/**
 * Every variable the responses module reads, with its default and meaning. They belong with the others
 * in src/config.ts; until they move there they are read here, when the app or worker starts.
 */
export const RESPONSE_SETTING_VARIABLES = [
  {
    name: 'HAVEN_REPLY_BATCH_MAX',
    default: '500',
    description: 'Most reply-link answers written in one transaction (group commit).',
  },
  {
    name: 'HAVEN_REPLY_BATCH_WAIT_MS',
    default: '2',
    description: 'Longest a reply-link answer waits for others to share its transaction.',
  },
  {
    name: 'HAVEN_REPLY_BATCH_CONCURRENCY',
    default: '(1 on SQLite, 2 on PostgreSQL)',
    description: 'Reply-link transactions in flight at once.',
  },
  {
    name: 'HAVEN_SMS_INBOUND_SECRET',
    default: '(unset: the inbound webhook answers 503)',
    description:
      "Shared secret (at least 16 characters) signing the SMS gateway's inbound webhook, POST /api/inbound/sms.",
  },
  {
    name: 'HAVEN_SMS_INBOUND_TOLERANCE_SECONDS',
    default: '300',
    description: "How far the webhook's X-Haven-Timestamp may be from now; older or newer is refused.",
  },
  {
    name: 'HAVEN_INBOUND_FLOOD_MAX',
    default: '5',
    description: 'Messages from one number read as answers within the flood window; more are kept, not read.',
  },
  {
    name: 'HAVEN_INBOUND_FLOOD_WINDOW_SECONDS',
    default: '600',
    description: 'The flood window.',
  },
] as const;

const text = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/** Reads the settings, refusing the first bad value with a ConfigError. */
export function responseSettingsFrom(env: Env): ResponseSettings {
  const secret = text(env, 'HAVEN_SMS_INBOUND_SECRET') ?? null;
  if (secret !== null && secret.length < 16) {
    throw new ConfigError('HAVEN_SMS_INBOUND_SECRET must be at least 16 characters');
  }
  const concurrency = text(env, 'HAVEN_REPLY_BATCH_CONCURRENCY');
  return {
    batchMax: integer(env, 'HAVEN_REPLY_BATCH_MAX', 500, 1, 10_000),
    batchWaitMs: integer(env, 'HAVEN_REPLY_BATCH_WAIT_MS', 2, 0, 1000),
    batchConcurrency:
      concurrency === undefined ? null : integer(env, 'HAVEN_REPLY_BATCH_CONCURRENCY', 1, 1, 64),
    inboundSecret: secret,
    inboundToleranceSeconds: integer(env, 'HAVEN_SMS_INBOUND_TOLERANCE_SECONDS', 300, 1, 86_400),
    floodMax: integer(env, 'HAVEN_INBOUND_FLOOD_MAX', 5, 1, 10_000),
    floodWindowSeconds: integer(env, 'HAVEN_INBOUND_FLOOD_WINDOW_SECONDS', 600, 1, 86_400 * 7),
  };
}
