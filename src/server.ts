import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { openAppDatabase } from './db/open.ts';

export type RunningServer = {
  app: FastifyInstance;
  database: Database;
  url: string;
  close: () => Promise<void>;
};

/** Opens the database, applies migrations, and listens. Returns a handle whose close() drains and exits cleanly. */
export async function startServer(config: Config): Promise<RunningServer> {
  const database = await openAppDatabase(config);
  return serveWith(config, database);
}

/**
 * Starts the web server on an open database, which it closes when it stops. A process that also runs a
 * worker hands the worker the same database: on SQLite a second handle in one process would block the
 * event loop whenever the two wait on each other's write lock.
 */
export async function serveWith(config: Config, database: Database): Promise<RunningServer> {
  const app = await buildApp({ config, database });
  await app.listen({ port: config.port, host: config.host });
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await database.destroy();
    })();
    return closing;
  };
  return { app, database, url: `http://${host}:${config.port}`, close };
}
