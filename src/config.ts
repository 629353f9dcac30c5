import { isAbsolute, join, resolve } from 'node:path';

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
};

/** A configuration value that cannot be used. The CLI prints the message on one line and exits with 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Every variable Haven reads, with its default and meaning. The README's configuration table is
 * generated from this list (`npm run haven -- config --markdown`), so the two never drift apart.
 */
export const CONFIG_VARIABLES = [
  { name: 'PORT', default: '8080', description: 'TCP port of the HTTP server (API, console, migrant app).' },
  { name: 'HOST', default: '127.0.0.1', description: 'Address to listen on. Use 0.0.0.0 behind a reverse proxy or in a container.' },
  { name: 'HAVEN_DATA_DIR', default: './data', description: 'Directory for the embedded SQLite database and other local state.' },
  {
    name: 'DATABASE_URL',
    default: 'sqlite:<HAVEN_DATA_DIR>/haven.sqlite',
    description: 'Database. `sqlite:PATH` (or a plain file path) selects embedded SQLite; `postgres://user@host:5432/db` selects PostgreSQL.',
  },
  { name: 'LOG_LEVEL', default: 'info', description: `Log level: ${LOG_LEVELS.join(', ')}. Logs never contain personal data.` },
  { name: 'HAVEN_WEB_DIR', default: './dist/web', description: 'Directory of the built web app (console and migrant app), served at `/`.' },
  { name: 'HAVEN_BODY_LIMIT', default: '1048576', description: 'Largest accepted request body in bytes (CSV uploads to /api/imports may be up to 64 times this).' },
] as const;

type Env = Record<string, string | undefined>;

function parsePort(raw: string | undefined, name: string): number {
  if (raw === undefined || raw === '') return 8080;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be an integer between 1 and 65535 (got "${raw}")`);
  const port = Number(raw);
  if (port < 1 || port > 65535) throw new ConfigError(`${name} must be an integer between 1 and 65535 (got "${raw}")`);
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
    throw new ConfigError(`DATABASE_URL must start with postgres:// or sqlite: (got scheme "${url.split(':')[0]}")`);
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
  return { port, host, dataDir, database, logLevel: rawLevel as LogLevel, webDir, bodyLimitBytes: Number(rawLimit) };
}
