import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './errors.ts';
import {
  ALERT_SETTING_VARIABLES,
  type AlertSettings,
  alertSettingsFrom,
} from './modules/alerts/alerts.settings.ts';
import {
  DELIVERY_SETTING_VARIABLES,
  type DeliverySettings,
  deliverySettingsFrom,
} from './modules/delivery/delivery.settings.ts';
import {
  FOLLOW_UP_SETTING_VARIABLES,
  type FollowUpSettings,
  followUpSettingsFrom,
} from './modules/followups/followups.settings.ts';
import {
  RESPONSE_SETTING_VARIABLES,
  type ResponseSettings,
  responseSettingsFrom,
} from './modules/responses/responses.settings.ts';

/** Log levels accepted by HAVEN_LOG_LEVEL / LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string; url: string }
  | { kind: 'postgres'; url: string; schema?: string };

/** Haven's whole configuration: one typed object, built and validated once at start-up. */
export type Config = {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  webDir: string;
  bodyLimitBytes: number;
  /** Where the master key (which wraps the data-encryption key) comes from. */
  masterKey: { kind: 'env'; value: Buffer } | { kind: 'file'; file: string };
  cookieSecure: boolean;
  sessionTtlMinutes: number;
  loginRatePerMinute: number;
  apiRatePerMinute: number;
  alerts: AlertSettings;
  delivery: DeliverySettings;
  followUps: FollowUpSettings;
  responses: ResponseSettings;
};

export { ConfigError };

/**
 * Every variable Haven reads, with its default and meaning. The README's configuration table is
 * generated from this list (`npm run haven -- config --markdown`), so the two never drift apart.
 */
export const CONFIG_VARIABLES = [
  { name: 'PORT', default: '8080', description: 'TCP port of the HTTP server (API, console, migrant app).' },
  {
    name: 'HOST',
    default: '127.0.0.1',
    description: 'Address to listen on. Use 0.0.0.0 behind a reverse proxy or in a container.',
  },
  {
    name: 'HAVEN_DATA_DIR',
    default: './data',
    description: 'Directory for the embedded SQLite database and other local state.',
  },
  {
    name: 'DATABASE_URL',
    default: 'sqlite:<HAVEN_DATA_DIR>/haven.sqlite',
    description:
      'Database. `sqlite:PATH` (or a plain file path) selects embedded SQLite; `postgres://user@host:5432/db` selects PostgreSQL.',
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    description: `Log level: ${LOG_LEVELS.join(', ')}. Logs never contain personal data.`,
  },
  {
    name: 'HAVEN_WEB_DIR',
    default: './dist/web',
    description: 'Directory of the built web app (console and migrant app), served at `/`.',
  },
  {
    name: 'HAVEN_BODY_LIMIT',
    default: '1048576',
    description:
      'Largest accepted request body in bytes (CSV uploads to /api/imports may be up to 64 times this).',
  },
  {
    name: 'HAVEN_MASTER_KEY',
    default: '(unset)',
    description:
      'Master key that wraps the data-encryption key: 32 bytes, base64. Takes precedence over HAVEN_MASTER_KEY_FILE.',
  },
  {
    name: 'HAVEN_MASTER_KEY_FILE',
    default: '<HAVEN_DATA_DIR>/master.key',
    description:
      'File holding the master key (base64). Created with mode 0600 on first start when neither variable is set.',
  },
  {
    name: 'HAVEN_COOKIE_SECURE',
    default: 'true',
    description: 'Mark session cookies Secure (browsers accept them on https and on localhost).',
  },
  { name: 'HAVEN_SESSION_TTL_MINUTES', default: '480', description: 'Lifetime of a console session.' },
  {
    name: 'HAVEN_LOGIN_RATE_PER_MINUTE',
    default: '20',
    description:
      'Sign-in attempts allowed per client address per minute (accounts also lock after 5 failures).',
  },
  {
    name: 'HAVEN_API_RATE_PER_MINUTE',
    default: '3000',
    description: 'API requests allowed per client address per minute.',
  },
  ...ALERT_SETTING_VARIABLES,
  ...DELIVERY_SETTING_VARIABLES,
  ...FOLLOW_UP_SETTING_VARIABLES,
  ...RESPONSE_SETTING_VARIABLES,
] as const;

type Env = Record<string, string | undefined>;

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  const text = raw?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new ConfigError(`${name} must be a positive integer (got "${text}")`);
  return Number(text);
}

function parsePort(raw: string | undefined, name: string): number {
  if (raw === undefined || raw === '') return 8080;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`${name} must be an integer between 1 and 65535 (got "${raw}")`);
  const port = Number(raw);
  if (port < 1 || port > 65535)
    throw new ConfigError(`${name} must be an integer between 1 and 65535 (got "${raw}")`);
  return port;
}

/** Parses a database URL: postgres:// or postgresql:// selects PostgreSQL, sqlite: or a path selects SQLite. */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseConfig {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      if (!parsed.hostname && !parsed.searchParams.get('host')) throw new Error('no host');
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^(sqlite|file):/i.test(url)) {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or sqlite: (got scheme "${url.split(':')[0]}")`,
    );
  }
  let file = url.replace(/^(sqlite|file):(\/\/)?/i, '');
  if (file === '') throw new ConfigError('DATABASE_URL names no SQLite file');
  if (file !== ':memory:' && !isAbsolute(file)) file = resolve(baseDir, file);
  return { kind: 'sqlite', file, url: `sqlite:${file}` };
}

/** Builds the configuration from the environment, throwing ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const port = parsePort(env.PORT, 'PORT');
  const host = env.HOST?.trim() || '127.0.0.1';
  const dataDir = resolve(cwd, env.HAVEN_DATA_DIR?.trim() || './data');
  const dbUrl = env.DATABASE_URL?.trim() || `sqlite:${join(dataDir, 'haven.sqlite')}`;
  const database = parseDatabaseUrl(dbUrl, cwd);
  const rawLevel = (env.LOG_LEVEL ?? env.HAVEN_LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(rawLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${rawLevel}")`);
  }
  const webDir = resolve(cwd, env.HAVEN_WEB_DIR?.trim() || './dist/web');
  const rawLimit = env.HAVEN_BODY_LIMIT?.trim() || '1048576';
  if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1024) {
    throw new ConfigError(`HAVEN_BODY_LIMIT must be a number of bytes, at least 1024 (got "${rawLimit}")`);
  }
  let masterKey: Config['masterKey'];
  const rawKey = env.HAVEN_MASTER_KEY?.trim();
  if (rawKey) {
    const value = Buffer.from(rawKey, 'base64');
    if (value.length !== 32)
      throw new ConfigError('HAVEN_MASTER_KEY must be 32 bytes encoded in base64 (openssl rand -base64 32)');
    masterKey = { kind: 'env', value };
  } else {
    masterKey = {
      kind: 'file',
      file: resolve(cwd, env.HAVEN_MASTER_KEY_FILE?.trim() || join(dataDir, 'master.key')),
    };
  }
  const rawSecure = (env.HAVEN_COOKIE_SECURE ?? 'true').trim().toLowerCase();
  if (!['true', 'false', '1', '0'].includes(rawSecure))
    throw new ConfigError(`HAVEN_COOKIE_SECURE must be true or false (got "${rawSecure}")`);
  const rawTtl = env.HAVEN_SESSION_TTL_MINUTES?.trim() || '480';
  if (!/^\d+$/.test(rawTtl) || Number(rawTtl) < 1)
    throw new ConfigError(`HAVEN_SESSION_TTL_MINUTES must be a positive number of minutes (got "${rawTtl}")`);
  return {
    port,
    host,
    dataDir,
    database,
    logLevel: rawLevel as LogLevel,
    webDir,
    bodyLimitBytes: Number(rawLimit),
    masterKey,
    cookieSecure: rawSecure === 'true' || rawSecure === '1',
    sessionTtlMinutes: Number(rawTtl),
    loginRatePerMinute: positiveInt(env.HAVEN_LOGIN_RATE_PER_MINUTE, 'HAVEN_LOGIN_RATE_PER_MINUTE', 20),
    apiRatePerMinute: positiveInt(env.HAVEN_API_RATE_PER_MINUTE, 'HAVEN_API_RATE_PER_MINUTE', 3000),
    alerts: alertSettingsFrom(env),
    delivery: deliverySettingsFrom(env),
    followUps: followUpSettingsFrom(env),
    responses: responseSettingsFrom(env),
  };
}
