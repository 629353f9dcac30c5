import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openAppDatabase } from './db/open.ts';

export type RunningServer = { app: FastifyInstance; url: string; close: () => Promise<void> };

/** Opens the database, applies migrations, and listens. Returns a handle whose close() drains and exits cleanly. */
export async function startServer(config: Config): Promise<RunningServer> {
  const database = await openAppDatabase(config);
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
  return { app, url: `http://${host}:${config.port}`, close };
}
