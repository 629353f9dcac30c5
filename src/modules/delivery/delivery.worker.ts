// The delivery worker: runs fan-out jobs, claims due deliveries channel by channel, renders and sends
// them, and writes the outcomes back. Several workers (processes) share one database; they never wait
// for each other's rows.
//
// Exactly once, as far as it can be had: a row is claimed under a lease (renewed while its worker
// lives) and its outcome is written, group-committed, as soon as the channel answers. A worker claims
// only what it can send at once (free concurrency and rate tokens), so what it holds is what is in
// flight. If it dies, its rows go back to the queue when their leases expire and are sent again: a
// message the provider accepted in the instant between its answer and the commit of that answer is then
// sent twice. That window is one provider round trip plus one commit, per row in flight; every row that
// went through it is counted in `deliveries.reclaims`.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Channel, DeliveryReceipt, SendResult } from '../../channels/channel.ts';
import type { Database } from '../../db/database.ts';
import {
  CONTACT_KIND_OF,
  DELIVERY_CHANNELS,
  type DeliveryChannel,
} from '../../domain/delivery/channel-order.ts';
import { type AttemptOutcome, decideOutcome, decideReceipt } from '../../domain/delivery/outcome.ts';
import {
  type AlertSummary,
  type DirectMessageContent,
  type InfoBlock,
  type RenderedMessage,
  renderDirectMessage,
  renderMessage,
  type SmsCheckCache,
} from '../../domain/delivery/render.ts';
import { type ReplyTokenClaims, replyTokenSigner } from '../../domain/delivery/reply-token.ts';
import { TokenBucket } from '../../domain/delivery/token-bucket.ts';
import { chooseInfoBlock } from '../../domain/messaging/language-fallback.ts';
import type { ConfiguredChannels, WorkerLog } from './delivery.channels.ts';
import { queueFallbacks } from './delivery.fallbacks.ts';
import { claimFanout, releaseFanout } from './delivery.fanout.repository.ts';
import { runFanoutBatch } from './delivery.fanout.ts';
import {
  type ClaimedDelivery,
  claimDeliveries,
  findAlertStates,
  findAlertsForRendering,
  findHeldReceipts,
  type OutcomeWrite,
  type ReceiptWrite,
  reclaimExpiredLeases,
  releaseHeldReceipts,
  removeContact,
  renewLeases,
  writeOutcomes,
  writeReceipts,
} from './delivery.repository.ts';
import type { DeliverySettings } from './delivery.settings.ts';
import { onOutboxWork } from './delivery.signal.ts';
import { findDirectMessages } from './direct-messages.repository.ts';

/** Counters of what one worker did, for tests, benchmarks and the operator. */
export type WorkerStats = {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  released: number;
  reclaimed: number;
  receipts: number;
  fallbacks: number;
  fanoutBatches: number;
  fanoutRows: number;
  databaseErrors: number;
};

/** Things a worker reports as they happen (for tests and benchmarks; never personal data). */
export type WorkerEvent =
  | { type: 'claimed'; channel: DeliveryChannel; count: number }
  | { type: 'written'; outcomes: number; receipts: number }
  | { type: 'fanout'; alertId: string; slice: number; written: number; done: boolean };

export type DeliveryWorkerDeps = {
  database: Database;
  settings: DeliverySettings;
  channels: ConfiguredChannels;
  /** Secret of reply links (src/domain/delivery/reply-token.ts). */
  replySecret: Uint8Array;
  workerId?: string;
  log?: WorkerLog;
  random?: () => number;
  onEvent?: (event: WorkerEvent) => void;
};

// Rows whose outcome is waiting to be written beyond this make the lanes stop claiming.
const MAX_BACKLOG = 5000;
const WRITE_BATCH = 1000;
// A receipt can overtake the commit of its message's `sent` (another worker sent it): kept this long.
const RECEIPT_PATIENCE_MS = 30_000;
// A gateway receipt no sent delivery matched is held this long (delivery_receipts), then dropped.
const HELD_RECEIPT_MS = 3_600_000;
const ALERT_STATE_TTL_MS = 2000;
const MIN_IDLE_MS = 10;
// Under a rate limit a lane claims this much sending time's worth of rows at once (or all it wants, if
// fewer): claiming each few tokens as they drip in would cost the database more than the sends.
const RATED_CLAIM_SPAN_MS = 100;
const FIRST_FANOUT_BATCH = 1000;
const MAX_CACHED_ALERTS = 500;

/** A wait that ends after a time, or at once when woken; any number may wait. */
class Wakeable {
  readonly #waiters = new Set<() => void>();
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
    });
  }
  wake(): void {
    for (const done of [...this.#waiters]) done();
  }
}

type Lane = {
  channel: DeliveryChannel;
  sender: Channel | undefined;
  bucket: TokenBucket | null;
  concurrency: number;
  inFlight: number;
  wakeable: Wakeable;
};

type CachedAlert = {
  summary: AlertSummary;
  state: string;
  expiresAt: number | null;
  blocks: InfoBlock[];
  byLanguage: Map<string, InfoBlock>;
  checkedAt: number;
};

type LoadedMessage = DirectMessageContent & { expiresAt: number | null };

type PendingOutcome = {
  write: OutcomeWrite;
  /** When the outcome was known (Date.now()). */
  at: number;
  fallback: boolean;
  removeContact: { personId: string; kind: string; value: string } | null;
};

type PendingReceipt = { write: ReceiptWrite; firstSeen: number };

const describeError = (err: unknown) =>
  err instanceof Error ? `${err.name}${'code' in err ? `:${String(err.code)}` : ''}` : 'unknown';

/** Runs delivery in this process until closed. */
export class DeliveryWorker {
  readonly id: string;
  readonly #db: Database;
  readonly #settings: DeliverySettings;
  readonly #sign: (claims: ReplyTokenClaims) => string;
  readonly #log: WorkerLog;
  readonly #random: () => number;
  readonly #onEvent: (event: WorkerEvent) => void;
  readonly #lanes: Lane[];
  readonly #alerts = new Map<string, CachedAlert>();
  /** Direct messages of the rows in flight (a message has one row in flight at a time). */
  readonly #messages = new Map<string, LoadedMessage>();
  readonly #smsChecks: SmsCheckCache = new Map();
  readonly #stats: WorkerStats = {
    claimed: 0,
    sent: 0,
    retried: 0,
    dead: 0,
    released: 0,
    reclaimed: 0,
    receipts: 0,
    fallbacks: 0,
    fanoutBatches: 0,
    fanoutRows: 0,
    databaseErrors: 0,
  };
  readonly #claimLoops: Promise<void>[] = [];
  #writerLoop: Promise<void> | undefined;
  #maintenanceLoop: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  /** Rows this worker claimed and has not written back yet: the only leases it renews. */
  readonly #held = new Set<number>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #fanoutWake = new Wakeable();
  readonly #maintenanceWake = new Wakeable();
  readonly #writerWake = new Wakeable();
  readonly #backlogWake = new Wakeable();
  #outcomes: PendingOutcome[] = [];
  #receipts: PendingReceipt[] = [];
  #claimSeq = 0;
  /** No more claims or fan-out batches. */
  #stopping = false;
  /** Everything written that could be: the writer and the lease keeper stop. */
  #finished = false;
  #started = false;
  #closing: Promise<void> | undefined;

  constructor(deps: DeliveryWorkerDeps) {
    this.id = deps.workerId ?? `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
    this.#db = deps.database;
    this.#settings = deps.settings;
    this.#sign = replyTokenSigner(deps.replySecret);
    this.#log = deps.log ?? (() => {});
    this.#random = deps.random ?? Math.random;
    this.#onEvent = deps.onEvent ?? (() => {});
    const now = Date.now();
    this.#lanes = DELIVERY_CHANNELS.map((channel) => {
      const limits = deps.settings.limits[channel];
      const sender = deps.channels[channel];
      // More SMS in flight than the SMPP window would only wait in the channel's queue while holding leases.
      const window =
        channel === 'sms' && deps.settings.smpp
          ? (deps.settings.smpp.window ?? 10)
          : Number.POSITIVE_INFINITY;
      // A channel that is not configured sends nothing: its rows are marked and fall back at full speed.
      if (!sender) {
        return {
          channel,
          sender,
          bucket: null,
          concurrency: deps.settings.claimBatch,
          inFlight: 0,
          wakeable: new Wakeable(),
        };
      }
      return {
        channel,
        sender,
        bucket:
          limits.ratePerSecond === null ? null : new TokenBucket(limits.ratePerSecond, limits.burst, now),
        concurrency: Math.max(1, Math.min(limits.concurrency, window)),
        inFlight: 0,
        wakeable: new Wakeable(),
      };
    });
    for (const lane of this.#lanes) {
      const unsubscribe = lane.sender?.onReceipt?.((receipt) => this.#onReceipt(lane.channel, receipt));
      if (unsubscribe) this.#unsubscribe.push(unsubscribe);
    }
    // A direct message queued in this process (a sign-in code) is claimed at once, not at the next poll.
    this.#unsubscribe.push(
      onOutboxWork(() => {
        for (const lane of this.#lanes) lane.wakeable.wake();
      }),
    );
  }

  /** What this worker has done so far. */
  stats(): WorkerStats {
    return { ...this.#stats };
  }

  /** Starts the loops: fan-out jobs, one claim loop per channel, the outcome writer, leases. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#writerLoop = this.#runWriter();
    this.#maintenanceLoop = this.#runMaintenance();
    // PostgreSQL writes several slices of a large fan-out at once; SQLite has a single writer anyway.
    const fanoutLoops = this.#db.dialect === 'postgres' ? Math.max(1, this.#settings.fanoutSlices) : 1;
    for (let i = 0; i < fanoutLoops; i++) this.#claimLoops.push(this.#runFanouts());
    for (const lane of this.#lanes) this.#claimLoops.push(this.#runLane(lane));
    this.#log('info', 'worker.started', { worker: this.id });
  }

  /**
   * Stops claiming, lets sends in flight finish (bounded by the channels' own time-outs), writes their
   * outcomes and stops. Rows it could not write keep their leases and return to the queue after them.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    this.#stopping = true;
    this.#wakeAll();
    await Promise.allSettled(this.#claimLoops);
    // Leases stay renewed while the last sends finish and their outcomes are written.
    await Promise.allSettled([...this.#inFlight]);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#finished = true;
    this.#wakeAll();
    await this.#writerLoop;
    await this.#maintenanceLoop;
    this.#log('info', 'worker.stopped', { worker: this.id, unwritten: this.#outcomes.length });
  }

  #wakeAll(): void {
    for (const lane of this.#lanes) lane.wakeable.wake();
    this.#fanoutWake.wake();
    this.#maintenanceWake.wake();
    this.#writerWake.wake();
    this.#backlogWake.wake();
  }

  #databaseError(where: string, err: unknown): void {
    this.#stats.databaseErrors += 1;
    this.#log('warn', 'worker.database_error', { where, error: describeError(err) });
  }

  #lease(now: number): string {
    return new Date(now + this.#settings.leaseMs).toISOString();
  }

  // ---------------------------------------------------------------------------------------- fan-out

  async #runFanouts(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      try {
        const now = Date.now();
        const job = await claimFanout(this.#db.db, {
          workerId: this.id,
          now: new Date(now).toISOString(),
          leaseUntil: this.#lease(now),
        });
        failures = 0;
        if (!job) {
          await this.#fanoutWake.wait(this.#settings.pollMs);
          continue;
        }
        this.#log('info', 'fanout.started', { alert: job.alert_id, slice: job.slice });
        let after = job.after_person_id;
        // A small first batch puts the first messages on the wire quickly; later ones are larger.
        let size = Math.min(FIRST_FANOUT_BATCH, this.#settings.fanoutBatch);
        while (!this.#stopping) {
          const step = await runFanoutBatch(
            this.#db,
            { ...job, after },
            {
              workerId: this.id,
              batchSize: size,
              order: this.#settings.channelOrder,
              leaseMs: this.#settings.leaseMs,
            },
          );
          if (step.lost) break;
          this.#stats.fanoutBatches += 1;
          this.#stats.fanoutRows += step.written;
          this.#onEvent({
            type: 'fanout',
            alertId: job.alert_id,
            slice: job.slice,
            written: step.written,
            done: step.done,
          });
          if (step.written > 0) {
            for (const lane of this.#lanes) lane.wakeable.wake();
            // On SQLite one connection serves every loop: let the woken lanes claim before the next batch.
            await new Promise((resolve) => setImmediate(resolve));
          }
          if (step.done) {
            this.#log('info', 'fanout.done', { alert: job.alert_id, slice: job.slice });
            break;
          }
          after = step.after;
          size = Math.min(size * 4, this.#settings.fanoutBatch);
        }
        // Stopping with the slice unfinished: give it up now rather than make the next worker wait out the lease.
        if (this.#stopping)
          await releaseFanout(this.#db.db, { alertId: job.alert_id, slice: job.slice, workerId: this.id });
      } catch (err) {
        this.#databaseError('fanout', err);
        failures += 1;
        await this.#fanoutWake.wait(Math.min(2000, 50 * 2 ** failures));
      }
    }
  }

  // ------------------------------------------------------------------------------------------ lanes

  async #runLane(lane: Lane): Promise<void> {
    let idle = MIN_IDLE_MS;
    let failures = 0;
    while (!this.#stopping) {
      if (this.#outcomes.length >= MAX_BACKLOG) {
        await this.#backlogWake.wait(this.#settings.pollMs);
        continue;
      }
      const free = lane.concurrency - lane.inFlight;
      if (free <= 0) {
        await lane.wakeable.wait(this.#settings.pollMs);
        continue;
      }
      let want = Math.min(free, this.#settings.claimBatch);
      if (lane.bucket) {
        const now = Date.now();
        const tokens = Math.floor(lane.bucket.available(now));
        const least = Math.min(
          want,
          lane.bucket.burst,
          Math.max(1, Math.floor((lane.bucket.ratePerSecond * RATED_CLAIM_SPAN_MS) / 1000)),
        );
        if (tokens < least) {
          await lane.wakeable.wait(lane.bucket.msUntil(least, now));
          continue;
        }
        want = Math.min(want, tokens);
      }
      let rows: ClaimedDelivery[];
      const token = `${this.id}#${++this.#claimSeq}`;
      try {
        const now = Date.now();
        rows = await claimDeliveries(this.#db.db, {
          channel: lane.channel,
          limit: want,
          workerId: this.id,
          token,
          now: new Date(now).toISOString(),
          leaseUntil: this.#lease(now),
        });
        failures = 0;
      } catch (err) {
        this.#databaseError(`claim.${lane.channel}`, err);
        failures += 1;
        await lane.wakeable.wait(Math.min(2000, 50 * 2 ** failures));
        continue;
      }
      if (rows.length === 0) {
        await lane.wakeable.wait(idle);
        idle = Math.min(idle * 2, this.#settings.pollMs);
        continue;
      }
      idle = MIN_IDLE_MS;
      lane.bucket?.take(rows.length, Date.now());
      this.#stats.claimed += rows.length;
      for (const row of rows) this.#held.add(row.id);
      this.#onEvent({ type: 'claimed', channel: lane.channel, count: rows.length });
      try {
        const alertIds = new Set<string>();
        const messageIds: string[] = [];
        for (const r of rows) {
          if (r.alert_id !== null) alertIds.add(r.alert_id);
          else if (r.message_id !== null) messageIds.push(r.message_id);
        }
        await this.#loadAlerts([...alertIds]);
        if (messageIds.length > 0) await this.#loadMessages(messageIds);
      } catch (err) {
        // The claim stands but nothing was sent: give the rows back as they were.
        this.#databaseError('alerts', err);
        for (const row of rows) this.#push(this.#release(row, token));
        continue;
      }
      rows.sort(
        (a, b) =>
          b.priority - a.priority || a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id - b.id,
      );
      lane.inFlight += rows.length;
      // The batch is rendered and handed to the channel on the next turn of the event loop, once the next
      // claim is on its way to the database: rendering overlaps the database's work instead of following it.
      const batch = new Promise<void>((resolve) => {
        setImmediate(() => {
          const sends = rows.map((row) =>
            this.#deliver(lane, row, token).finally(() => {
              lane.inFlight -= 1;
              lane.wakeable.wake();
            }),
          );
          void Promise.allSettled(sends).then(() => resolve());
        });
      });
      this.#inFlight.add(batch);
      void batch.then(() => this.#inFlight.delete(batch));
    }
  }

  async #loadAlerts(ids: string[]): Promise<void> {
    const now = Date.now();
    const missing = ids.filter((id) => !this.#alerts.has(id));
    const stale = ids.filter((id) => {
      const cached = this.#alerts.get(id);
      return cached !== undefined && now - cached.checkedAt > ALERT_STATE_TTL_MS;
    });
    if (missing.length > 0) {
      // Maps iterate in insertion order: the alerts cached longest ago go first.
      for (const id of this.#alerts.keys()) {
        if (this.#alerts.size + missing.length <= MAX_CACHED_ALERTS) break;
        if (!ids.includes(id)) this.#alerts.delete(id);
      }
      const { alerts, infos } = await findAlertsForRendering(this.#db.db, missing);
      for (const a of alerts) {
        const blocks: InfoBlock[] = infos
          .filter((i) => i.alert_id === a.id)
          .map((i) => ({
            language: i.language,
            headline: i.headline,
            description: i.description,
            instruction: i.instruction,
            smsText: i.sms_text,
          }));
        this.#alerts.set(a.id, {
          summary: {
            identifier: a.identifier,
            status: a.status,
            msgType: a.msg_type,
            event: a.event,
            severity: a.severity,
            urgency: a.urgency,
          },
          state: a.state,
          expiresAt: a.expires_at ? Date.parse(a.expires_at) : null,
          blocks,
          byLanguage: new Map(blocks.map((b) => [b.language, b])),
          checkedAt: now,
        });
      }
    }
    if (stale.length > 0) {
      for (const s of await findAlertStates(this.#db.db, stale)) {
        const cached = this.#alerts.get(s.id);
        if (!cached) continue;
        cached.state = s.state;
        cached.expiresAt = s.expires_at ? Date.parse(s.expires_at) : null;
        cached.checkedAt = now;
      }
    }
  }

  async #loadMessages(ids: string[]): Promise<void> {
    for (const m of await findDirectMessages(this.#db.db, ids)) {
      this.#messages.set(m.id, {
        purpose: m.purpose,
        subject: m.subject_enc,
        text: m.body_enc,
        html: m.html_enc,
        expiresAt: m.expires_at ? Date.parse(m.expires_at) : null,
      });
    }
  }

  async #deliver(lane: Lane, row: ClaimedDelivery, token: string): Promise<void> {
    let pending: PendingOutcome;
    try {
      pending =
        row.message_id !== null
          ? await this.#attemptMessage(lane, row, row.message_id, token)
          : await this.#attempt(lane, row, token);
    } catch (err) {
      this.#log('error', 'delivery.error', { channel: lane.channel, error: describeError(err) });
      pending = this.#outcome(row, token, {
        state: 'queued',
        code: 'worker.error',
        detail: null,
        nextAttemptAt: new Date(Date.now() + this.#settings.retry.baseMs),
      });
    }
    this.#push(pending);
  }

  /** Sends one delivery of a direct message: its own text, no reply link, no alert around it. */
  async #attemptMessage(
    lane: Lane,
    row: ClaimedDelivery,
    messageId: string,
    token: string,
  ): Promise<PendingOutcome> {
    const message = this.#messages.get(messageId);
    this.#messages.delete(messageId);
    const dead = (code: string, fallback: boolean, detail: string | null = null) =>
      this.#outcome(row, token, { state: 'dead', code, detail, fallback, removeContact: false });
    if (!message) return dead('message.missing', false);
    if (message.expiresAt !== null && message.expiresAt <= Date.now()) return dead('message.expired', false);
    if (!lane.sender) return dead('channel.not_configured', true);
    if (!row.address || !row.person_id) return dead('contact.missing', true);
    const rendered = renderDirectMessage(lane.channel, message, this.#settings.smsMaxSegments);
    if (!rendered.ok) return dead(rendered.code, true, rendered.detail);
    return this.#send(lane, row, token, row.address, rendered.message);
  }

  async #attempt(lane: Lane, row: ClaimedDelivery, token: string): Promise<PendingOutcome> {
    const dead = (code: string, fallback: boolean, detail: string | null = null) =>
      this.#outcome(row, token, { state: 'dead', code, detail, fallback, removeContact: false });
    if (row.alert_id === null) return dead('alert.missing', false);
    const alert = this.#alerts.get(row.alert_id);
    if (!alert) return dead('alert.missing', false);
    const now = Date.now();
    // An update or a cancellation replaced this alert, or it expired: what is left of it is not sent.
    if (alert.state !== 'issued') return dead(`alert.${alert.state}`, false);
    if (alert.expiresAt !== null && alert.expiresAt <= now) return dead('alert.expired', false);
    if (!lane.sender) return dead('channel.not_configured', row.person_id !== null);
    let to: string;
    let block: InfoBlock | undefined;
    let replyUrl: string | null = null;
    if (row.partner !== null) {
      const target = this.#settings.webhooks.find((t) => t.name === row.partner);
      if (!target) return dead('webhook.unknown_partner', false);
      to = target.url;
      block = chooseInfoBlock(alert.blocks, target.language ? [target.language] : [], [])?.block;
    } else {
      if (!row.address || !row.person_id) return dead('contact.missing', true);
      to = row.address;
      block = (row.language ? alert.byLanguage.get(row.language) : undefined) ?? alert.blocks[0];
      const expiresAt = new Date(now + this.#settings.replyTokenTtlDays * 86_400_000);
      const tokenText = this.#sign({
        alertId: row.alert_id,
        personId: row.person_id,
        expiresAt,
      });
      replyUrl = `${this.#settings.publicUrl}/r/${tokenText}`;
    }
    if (!block) return dead('alert.no_text', false);
    const rendered = renderMessage(
      {
        channel: lane.channel,
        alert: alert.summary,
        block,
        replyUrl,
        maxSmsSegments: this.#settings.smsMaxSegments,
      },
      this.#smsChecks,
    );
    if (!rendered.ok) return dead(rendered.code, row.person_id !== null, rendered.detail);
    return this.#send(lane, row, token, to, rendered.message);
  }

  /** Hands a rendered message to the lane's channel and decides the outcome of its answer. */
  async #send(
    lane: Lane,
    row: ClaimedDelivery,
    token: string,
    to: string,
    message: RenderedMessage,
  ): Promise<PendingOutcome> {
    if (!lane.sender) throw new Error('send on a channel that is not configured');
    const result: SendResult = await lane.sender.send({
      deliveryId: String(row.id),
      to,
      text: message.text,
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
      ...(message.html !== undefined ? { html: message.html } : {}),
      metadata: message.metadata,
    });
    // The channel shut down before sending: the attempt never happened.
    if (result.status === 'retry' && result.code === 'channel.closed') return this.#release(row, token);
    const outcome = decideOutcome(result, row.attempts, this.#settings.retry, new Date(), this.#random);
    const pending = this.#outcome(row, token, outcome, message.segments ?? null);
    if (outcome.state === 'dead' && outcome.removeContact && row.person_id && lane.channel !== 'webhook') {
      pending.removeContact = { personId: row.person_id, kind: CONTACT_KIND_OF[lane.channel], value: to };
    }
    return pending;
  }

  #outcome(
    row: ClaimedDelivery,
    token: string,
    outcome: AttemptOutcome,
    segments: number | null = null,
  ): PendingOutcome {
    const now = new Date().toISOString();
    const write: OutcomeWrite = {
      id: row.id,
      token,
      state: outcome.state,
      provider_id: outcome.state === 'sent' ? outcome.providerId : null,
      code: outcome.state === 'sent' ? null : outcome.code,
      detail: outcome.state === 'sent' ? null : outcome.detail,
      segments,
      next_attempt_at: outcome.state === 'queued' ? outcome.nextAttemptAt.toISOString() : null,
      refund: 0,
      sent_at: outcome.state === 'sent' ? now : null,
      done_at: outcome.state === 'dead' ? now : null,
    };
    if (outcome.state === 'sent') this.#stats.sent += 1;
    else if (outcome.state === 'queued') this.#stats.retried += 1;
    else this.#stats.dead += 1;
    return {
      write,
      at: Date.now(),
      fallback: outcome.state === 'dead' && outcome.fallback,
      removeContact: null,
    };
  }

  #release(row: ClaimedDelivery, token: string): PendingOutcome {
    this.#stats.released += 1;
    return {
      write: {
        id: row.id,
        token,
        state: 'queued',
        provider_id: null,
        code: null,
        detail: null,
        segments: null,
        next_attempt_at: new Date().toISOString(),
        refund: 1,
        sent_at: null,
        done_at: null,
      },
      at: Date.now(),
      fallback: false,
      removeContact: null,
    };
  }

  #push(pending: PendingOutcome): void {
    this.#outcomes.push(pending);
    this.#writerWake.wake();
  }

  #onReceipt(channel: DeliveryChannel, receipt: DeliveryReceipt): void {
    const decided = decideReceipt(receipt);
    this.#receipts.push({
      write: {
        provider_id: receipt.providerId,
        channel,
        state: decided.state,
        code: decided.state === 'failed' ? decided.code : null,
        done_at: new Date().toISOString(),
      },
      firstSeen: Date.now(),
    });
    this.#writerWake.wake();
  }

  // ----------------------------------------------------------------------------------------- writer

  async #runWriter(): Promise<void> {
    let failures = 0;
    // Receipts that matched nothing wait for a later flush: their message's row may not be committed yet.
    let waiting: PendingReceipt[] = [];
    for (;;) {
      if (this.#outcomes.length === 0 && this.#receipts.length === 0) {
        if (this.#finished) break;
        await this.#writerWake.wait(waiting.length > 0 ? 500 : this.#settings.pollMs);
        if (this.#outcomes.length === 0 && this.#receipts.length === 0 && waiting.length === 0) continue;
      }
      const outcomes = this.#outcomes.splice(0, WRITE_BATCH);
      const receipts = [...waiting, ...this.#receipts.splice(0, WRITE_BATCH)];
      waiting = [];
      if (outcomes.length === 0 && receipts.length === 0) continue;
      try {
        const unmatched = await this.#write(outcomes, receipts);
        for (const o of outcomes) this.#held.delete(o.write.id);
        failures = 0;
        const now = Date.now();
        waiting = unmatched.filter((r) => now - r.firstSeen < RECEIPT_PATIENCE_MS);
        this.#backlogWake.wake();
      } catch (err) {
        this.#databaseError('write', err);
        this.#outcomes = outcomes.concat(this.#outcomes);
        waiting = receipts;
        failures += 1;
        // At shutdown, outcomes that cannot be written are left to their leases.
        if (this.#finished && failures >= 5) break;
        await this.#writerWake.wait(Math.min(2000, 50 * 2 ** failures));
      }
    }
  }

  /** Writes outcomes and receipts in one transaction, queues fallbacks; answers receipts that matched nothing. */
  async #write(outcomes: PendingOutcome[], receipts: PendingReceipt[]): Promise<PendingReceipt[]> {
    const started = Date.now();
    const result = await this.#db.db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      const { sent, other } = await writeOutcomes(
        trx,
        outcomes.map((o) => o.write),
        now,
        this.#db.sqlite,
      );
      const changedIds = new Set(other.map((c) => c.id));
      const byId = new Map<number, PendingOutcome>();
      for (const o of outcomes) if (o.write.state !== 'sent' || o.removeContact) byId.set(o.write.id, o);
      for (const o of outcomes) {
        if (o.removeContact && changedIds.has(o.write.id)) {
          await removeContact(trx, o.removeContact.personId, o.removeContact.kind, o.removeContact.value);
        }
      }
      const received = await writeReceipts(
        trx,
        receipts.map((r) => r.write),
        now,
      );
      const failing = [
        ...other.filter((c) => c.state === 'dead' && byId.get(c.id)?.fallback === true),
        ...received.filter((c) => c.state === 'failed'),
      ];
      const fallbacks = await queueFallbacks(trx, failing, this.#settings.channelOrder, now);
      return { changed: sent + other.length, received, fallbacks };
    });
    this.#stats.receipts += result.received.length;
    this.#stats.fallbacks += result.fallbacks;
    if (result.fallbacks > 0) for (const lane of this.#lanes) lane.wakeable.wake();
    this.#onEvent({ type: 'written', outcomes: result.changed, receipts: result.received.length });
    if (outcomes.length > 0) {
      const lag = Date.now() - Math.min(...outcomes.map((o) => o.at));
      this.#log('debug', 'outcomes.written', {
        count: outcomes.length,
        lagMs: lag,
        ms: Date.now() - started,
      });
    }
    const matched = new Set(result.received.map((r) => `${r.channel} ${r.provider_id}`));
    return receipts.filter((r) => !matched.has(`${r.write.channel} ${r.write.provider_id}`));
  }

  // ------------------------------------------------------------------------------------ maintenance

  async #runMaintenance(): Promise<void> {
    const period = Math.max(100, Math.floor(this.#settings.leaseMs / 3));
    while (!this.#finished) {
      await this.#maintenanceWake.wait(period);
      if (this.#finished) break;
      try {
        const now = Date.now();
        // Only rows known to be held: a claim that committed while its answer was lost (the connection
        // died) is not renewed, so its lease runs out and another worker takes the rows.
        if (this.#held.size > 0) await renewLeases(this.#db.db, this.id, [...this.#held], this.#lease(now));
        const reclaimed = await reclaimExpiredLeases(this.#db.db, new Date(now).toISOString());
        if (reclaimed > 0) {
          this.#stats.reclaimed += reclaimed;
          this.#log('warn', 'worker.leases_reclaimed', { rows: reclaimed });
          for (const lane of this.#lanes) lane.wakeable.wake();
        }
        await this.#applyHeldReceipts(now);
      } catch (err) {
        this.#databaseError('maintenance', err);
      }
    }
  }

  /** Applies gateway receipts that arrived before their message's `sent` was recorded; drops old ones. */
  async #applyHeldReceipts(now: number): Promise<void> {
    const held = await findHeldReceipts(this.#db.db, WRITE_BATCH);
    if (held.length === 0) return;
    const at = new Date(now).toISOString();
    const changed = await this.#db.db.transaction().execute(async (trx) => {
      const changed = await writeReceipts(trx, held, at);
      await queueFallbacks(
        trx,
        changed.filter((c) => c.state === 'failed'),
        this.#settings.channelOrder,
        at,
      );
      const applied = new Set(changed.map((c) => `${c.channel} ${c.provider_id}`));
      await releaseHeldReceipts(
        trx,
        held.filter((h) => applied.has(`${h.channel} ${h.provider_id}`)),
        new Date(now - HELD_RECEIPT_MS).toISOString(),
      );
      return changed.length;
    });
    this.#stats.receipts += changed;
  }
}
