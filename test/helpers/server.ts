import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type DeliverySettings, deliverySettingsFrom } from '../../src/modules/delivery/delivery.settings.ts';
import { type RunningWorker, startWorker } from '../../src/worker.ts';
import { type TestDatabase, testMasterKey } from './database.ts';

/** The web app listening on loopback and a delivery worker sending to loopback SMPP and SMTP peers. */
export type WebAndWorker = {
  app: FastifyInstance;
  worker: RunningWorker;
  base: string;
  settings: DeliverySettings;
};

/**
 * Starts the web app and a delivery worker on one database handle, as one process runs them: on SQLite
 * two handles in one process block each other (a synchronous busy wait holds the event loop the other
 * one needs). The worker polls every 50 ms, without rate limits, and sends SMS to the SMPP peer on
 * `smppPort` and e-mail to the SMTP peer on `smtpPort`.
 */
export async function startWebAndWorker(p: {
  database: TestDatabase;
  dataDir: string;
  webDir: string;
  smppPort: number;
  smtpPort: number;
}): Promise<WebAndWorker> {
  const env = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HAVEN_DATA_DIR: p.dataDir, HAVEN_WEB_DIR: p.webDir };
  const config = { ...loadConfig(env), database: p.database.config, masterKey: testMasterKey, port: 0 };
  const app = await buildApp({ config, database: p.database });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const settings = deliverySettingsFrom({
    HAVEN_PUBLIC_URL: base,
    HAVEN_DELIVERY_POLL_MS: '50',
    HAVEN_SMS_RATE: '0',
    HAVEN_EMAIL_RATE: '0',
    HAVEN_SMPP_HOST: '127.0.0.1',
    HAVEN_SMPP_PORT: String(p.smppPort),
    HAVEN_SMPP_SYSTEM_ID: 'haven',
    HAVEN_SMPP_PASSWORD: 'secret',
    HAVEN_SMPP_SOURCE_ADDR: 'EMBASSY',
    HAVEN_SMTP_URL: `smtp://127.0.0.1:${p.smtpPort}`,
    HAVEN_SMTP_FROM: 'Embassy <alerts@embassy.test>',
  });
  try {
    const worker = await startWorker(config, { database: p.database, settings, log: () => {} });
    return { app, worker, base, settings };
  } catch (err) {
    await app.close();
    throw err;
  }
}
