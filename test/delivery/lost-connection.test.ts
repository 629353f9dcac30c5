// Fault test (c): the SMS centre drops the connection, several times, in the middle of an alert. The
// worker binds again and resumes; nobody is lost. A submit whose answer died with the connection cannot
// be told from one the centre never took, so it is sent again: at most a window's worth per drop.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { deliverySettingsFrom } from '../../src/modules/delivery/delivery.settings.ts';
import {
  allSettled,
  deliveriesOf,
  enqueue,
  eventually,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from '../../src/modules/delivery/delivery.test-kit.ts';
import { startWorker } from '../../src/worker.ts';
import { openTestDatabase, type TestDatabase, testMasterKey } from '../helpers/database.ts';
import { startSmppPeer } from '../peers/smpp-server.ts';

let database: TestDatabase;

before(async () => {
  database = await openTestDatabase();
});
after(async () => {
  await database?.drop();
});

const WINDOW = 10;

test('the SMPP connection drops three times mid-alert: the worker reconnects, resumes, and loses nobody', async () => {
  const peer = await startSmppPeer({ latencyMs: 5 });
  const author = await seedAuthor(database.db);
  const phones = Array.from({ length: 300 }, (_, i) => `+9715006${String(i).padStart(5, '0')}`);
  const ids = await seedPeople(
    database.db,
    phones.map((value) => ({ contacts: [{ kind: 'phone', value }] })),
  );
  const alertId = await seedIssuedAlert(database.db, { author, recipients: ids });
  await enqueue(database.db, alertId, testSettings());
  const settings = deliverySettingsFrom({
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_DELIVERY_POLL_MS: '20',
    HAVEN_DELIVERY_RETRY_BASE_MS: '20',
    HAVEN_DELIVERY_RETRY_MAX_MS: '100',
    HAVEN_SMS_RATE: '400',
    HAVEN_SMPP_HOST: '127.0.0.1',
    HAVEN_SMPP_PORT: String(peer.port),
    HAVEN_SMPP_SYSTEM_ID: 'haven',
    HAVEN_SMPP_PASSWORD: 'secret',
    HAVEN_SMPP_SOURCE_ADDR: 'EMBASSY',
    HAVEN_SMPP_WINDOW: String(WINDOW),
  });
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent' }),
    database: database.config,
    masterKey: testMasterKey,
  };
  const worker = await startWorker(config, { database, settings });
  try {
    await peer.waitFor(() => peer.submits.length >= 40, 10_000);
    peer.dropConnections();
    await peer.waitFor(() => peer.submits.length >= 120 && peer.counts.connections >= 2, 10_000);
    peer.dropAfterSubmits(4);
    await peer.waitFor(() => peer.submits.length >= 200 && peer.counts.connections >= 3, 10_000);
    peer.dropConnections();
    await eventually(() => allSettled(database.db, alertId), 20_000, 'all sent');
  } finally {
    await worker.close();
    await peer.close();
  }
  const rows = await deliveriesOf(database.db, alertId);
  assert.ok(
    rows.every((r) => r.state === 'sent'),
    'every delivery sent',
  );
  const received = peer.submits.map((s) => `+${s.destinationAddr}`);
  assert.deepEqual([...new Set(received)].sort(), phones, 'nobody lost');
  assert.ok(peer.counts.connections >= 4, `bound ${peer.counts.connections} times`);
  assert.ok(received.length - phones.length <= 3 * WINDOW, `${received.length - phones.length} sent twice`);
  assert.ok(
    rows.some((r) => r.attempts > 1),
    'messages caught in a drop were attempted again',
  );
});
