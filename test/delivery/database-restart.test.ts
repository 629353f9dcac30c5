// Fault test (d): PostgreSQL restarts in the middle of an alert. Two workers lose every connection,
// their claims and writes fail for a while, and they recover on their own: every message is sent and
// none is lost. The cluster is a throwaway one started by the test on a free loopback port.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { EncryptionPlugin } from '../../src/db/encryption-plugin.ts';
import { loadDataCipher } from '../../src/db/keys.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { deliverySettingsFrom } from '../../src/modules/delivery/delivery.settings.ts';
import {
  deliveriesOf,
  enqueue,
  eventually,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from '../../src/modules/delivery/delivery.test-kit.ts';
import { type RunningWorker, startWorker } from '../../src/worker.ts';
import { testMasterKey } from '../helpers/database.ts';
import { startSmppPeer } from '../peers/smpp-server.ts';
import { startThrowawayCluster, type ThrowawayCluster } from './pg-cluster.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function open(url: string): Promise<Database> {
  const raw = openDatabase({ kind: 'postgres', url }, { poolSize: 4 });
  const cipher = await loadDataCipher(raw.db, testMasterKey);
  return { ...raw, db: raw.db.withPlugin(new EncryptionPlugin(cipher)) };
}

// The test starts a throwaway PostgreSQL cluster of its own, so it runs in the SQLite pass too; it is
// skipped only where PostgreSQL's server programs are missing, and never in CI.
test('PostgreSQL restarts mid-run: the workers recover and every message goes out', {
  timeout: 60_000,
}, async (t) => {
  const started = await startThrowawayCluster();
  if ('skip' in started) {
    if (process.env.CI === 'true') throw new Error(`database-restart test cannot run in CI: ${started.skip}`);
    t.skip(started.skip);
    return;
  }
  const cluster: ThrowawayCluster = started;
  cleanups.push(() => cluster.remove());
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database haven');
  await admin.end();
  const url = cluster.url.replace(/\/postgres$/, '/haven');
  const setup = openDatabase({ kind: 'postgres', url });
  await migrateToLatest(setup.db as never);
  await setup.destroy();

  const seedDb = await open(url);
  cleanups.push(() => seedDb.destroy());
  const author = await seedAuthor(seedDb.db);
  const phones = Array.from({ length: 300 }, (_, i) => `+9715007${String(i).padStart(5, '0')}`);
  const ids = await seedPeople(
    seedDb.db,
    phones.map((value) => ({ contacts: [{ kind: 'phone', value }] })),
  );
  const alertId = await seedIssuedAlert(seedDb.db, { author, recipients: ids });
  await enqueue(seedDb.db, alertId, testSettings());

  const peer = await startSmppPeer({ latencyMs: 5 });
  cleanups.push(() => peer.close());
  const settings = deliverySettingsFrom({
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_DELIVERY_POLL_MS: '20',
    HAVEN_DELIVERY_LEASE_MS: '10000',
    HAVEN_DELIVERY_RETRY_BASE_MS: '20',
    HAVEN_DELIVERY_RETRY_MAX_MS: '100',
    HAVEN_SMS_RATE: '60',
    HAVEN_SMPP_HOST: '127.0.0.1',
    HAVEN_SMPP_PORT: String(peer.port),
    HAVEN_SMPP_SYSTEM_ID: 'haven',
    HAVEN_SMPP_PASSWORD: 'secret',
    HAVEN_SMPP_SOURCE_ADDR: 'EMBASSY',
  });
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), masterKey: testMasterKey };
  const workers: RunningWorker[] = [];
  for (let i = 0; i < 2; i++) {
    const database = await open(url);
    const worker = await startWorker(config, { database, settings });
    workers.push(worker);
    cleanups.push(async () => {
      await worker.close();
      await database.destroy();
    });
  }

  await peer.waitFor(() => peer.submits.length >= 40, 15_000);
  await cluster.restart(800);
  const sentAtRestart = peer.submits.length;
  assert.ok(sentAtRestart < phones.length, 'the restart came in the middle of the alert');

  const check = await open(url);
  cleanups.push(() => check.destroy());
  await eventually(
    async () => (await deliveriesOf(check.db, alertId)).every((r) => r.state === 'sent'),
    40_000,
    'every delivery sent after the restart',
  );
  const rows = await deliveriesOf(check.db, alertId);
  const received = peer.submits.map((s) => `+${s.destinationAddr}`);
  assert.deepEqual([...new Set(received)].sort(), phones, 'nobody lost');
  const reclaims = rows.reduce((sum, r) => sum + r.reclaims, 0);
  assert.ok(received.length - phones.length <= reclaims, 'a message went twice only after its lease ran out');
  const errors = workers.reduce((sum, w) => sum + w.stats().databaseErrors, 0);
  assert.ok(errors > 0, 'the workers did see the database go away');
  t.diagnostic(
    `sent before the restart ${sentAtRestart}, database errors ${errors}, duplicates ${received.length - phones.length}`,
  );
});
