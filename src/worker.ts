import { hostname } from 'node:os';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { openAppDatabase } from './db/open.ts';
import {
  type ConfiguredChannels,
  createConfiguredChannels,
  type WorkerLog,
} from './modules/delivery/delivery.channels.ts';
import type { DeliverySettings } from './modules/delivery/delivery.settings.ts';
import { DeliveryWorker, type WorkerEvent, type WorkerStats } from './modules/delivery/delivery.worker.ts';
import { loadReplyTokenSecret } from './modules/delivery/reply-secret.ts';
import { FollowUpScheduler } from './modules/followups/followups.scheduler.ts';
import { listenForInboundSms } from './modules/inbound/inbound.listener.ts';
import { inboundNumberKey } from './modules/inbound/inbound.service.ts';

/** A running worker: its id, its counters, and close() for a graceful stop. */
export type RunningWorker = { id: string; stats: () => WorkerStats; close: () => Promise<void> };

export type WorkerOptions = {
  /** An open database to use (and leave open); otherwise the worker opens, migrates and closes its own. */
  database?: Database;
  /** Delivery settings; otherwise the Config's. */
  settings?: DeliverySettings;
  /** Channels to use (and leave open); otherwise the configured ones are opened and closed by the worker. */
  channels?: ConfiguredChannels;
  replySecret?: Uint8Array;
  workerId?: string;
  log?: WorkerLog;
  onEvent?: (event: WorkerEvent) => void;
};

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 } as const;

/**
 * One JSON line per event on stdout, shaped like the web server's log lines (pino's numeric levels),
 * at or above the configured level. Fields never hold personal data.
 */
export function jsonLineLog(level: Config['logLevel']): WorkerLog {
  const threshold = LEVELS[level];
  const host = hostname();
  return (eventLevel, event, fields = {}) => {
    if (LEVELS[eventLevel] < threshold) return;
    const line = {
      level: LEVELS[eventLevel],
      time: Date.now(),
      pid: process.pid,
      hostname: host,
      msg: event,
      ...fields,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}

/**
 * Keeps a PostgreSQL restart from killing the process: pg emits 'error' on a client that is checked out
 * but between queries (inside a transaction) when its server goes away, and an unheard 'error' event
 * throws. The query that next uses the client fails instead, and the pool drops the client on release.
 */
function surviveServerRestarts(database: Database): void {
  const pool = database.pool;
  if (!pool) return;
  const guarded = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', () => {});
  });
}

/**
 * Starts a delivery worker: opens the database (migrated) unless given one, opens the configured
 * channels, and runs until close(). close() stops claiming, lets sends in flight finish and their
 * outcomes be written, then closes what the worker opened.
 */
export async function startWorker(config: Config, options: WorkerOptions = {}): Promise<RunningWorker> {
  const settings = options.settings ?? config.delivery;
  const log = options.log ?? jsonLineLog(config.logLevel);
  const database = options.database ?? (await openAppDatabase(config));
  const ownsDatabase = options.database === undefined;
  surviveServerRestarts(database);
  let channels: ConfiguredChannels | undefined;
  try {
    const replySecret =
      options.replySecret ??
      (await loadReplyTokenSecret(database.db, config.masterKey, settings.replyTokenSecret));
    const responses = config.responses;
    channels = options.channels ?? createConfiguredChannels(settings, log);
    // People's SMS replies arriving on the SMS channel (an SMPP bind) are read and stored.
    const replies = listenForInboundSms(channels.sms, {
      db: database.db,
      context: {
        numberKey: inboundNumberKey(replySecret),
        flood: { maxPerWindow: responses.floodMax, windowSeconds: responses.floodWindowSeconds },
      },
      log,
    });
    const worker = new DeliveryWorker({
      database,
      settings,
      channels,
      replySecret,
      log,
      ...(options.workerId ? { workerId: options.workerId } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    worker.start();
    // Follow-ups and the call list run beside delivery in every worker process.
    const followUps = new FollowUpScheduler({
      database,
      settings: config.followUps,
      channelOrder: settings.channelOrder,
      workerId: worker.id,
      log,
    });
    followUps.start();
    const opened = options.channels === undefined ? channels : {};
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await Promise.all([worker.close(), followUps.close()]);
        await replies.close();
        await Promise.allSettled(Object.values(opened).map((c) => c.close()));
        if (ownsDatabase) await database.destroy();
      })();
      return closing;
    };
    return { id: worker.id, stats: () => worker.stats(), close };
  } catch (err) {
    if (options.channels === undefined && channels)
      await Promise.allSettled(Object.values(channels).map((c) => c.close()));
    if (ownsDatabase) await database.destroy();
    throw err;
  }
}
