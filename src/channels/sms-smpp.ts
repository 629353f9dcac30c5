// SMS over SMPP 3.4 to an SMS centre: one transceiver bind that carries submits out and delivery
// receipts and people's replies in. Submits go through a window of outstanding requests with a queue in
// front; the bind is kept alive with enquire_link and re-established with backoff when it drops. A
// submit whose answer is lost with the connection is answered `retry`, never dropped silently.
import smpp from 'smpp';
import { nextRetryDelay } from '../domain/messaging/retry-backoff.ts';
import { checkSmsLength, MAX_SMS_SEGMENTS, splitSms } from '../domain/messaging/sms-encoding.ts';
import {
  type ChannelCode,
  type DeliveryReceipt,
  failed,
  type InboundSms,
  isE164,
  Listeners,
  type OutboundMessage,
  retry,
  type SendResult,
  type SmsChannel,
  sent,
  type Unsubscribe,
} from './channel.ts';

/** Command status values of SMPP 3.4 (§5.1.3) that the channel treats specially. */
export const SMPP_STATUS = {
  OK: 0x00,
  INVALID_MESSAGE_LENGTH: 0x01,
  INVALID_BIND_STATUS: 0x04,
  SYSTEM_ERROR: 0x08,
  INVALID_DESTINATION: 0x0b,
  MESSAGE_QUEUE_FULL: 0x14,
  INVALID_DESTINATION_TON: 0x50,
  INVALID_DESTINATION_NPI: 0x51,
  THROTTLED: 0x58,
  TEMPORARY_APP_ERROR: 0x64,
} as const;

const ESM_CLASS_UDH_INDICATOR = 0x40;
const ESM_CLASS_MESSAGE_TYPE = 0x3c;
const ESM_CLASS_DELIVERY_RECEIPT = 0x04;
const DATA_CODING = { 'GSM-7': 0x00, 'UCS-2': 0x08 } as const;
const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;
const NPI_ISDN = 1;
const SMPP_VERSION_3_4 = 0x34;

/** How to reach and bind to the SMS centre, and how hard to drive it. */
export type SmppChannelConfig = {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Sender shown to recipients: an E.164 number or an alphanumeric name of up to 11 characters. */
  sourceAddr: string;
  /** Overrides the type of number and numbering plan derived from `sourceAddr`. */
  sourceTon?: number;
  sourceNpi?: number;
  /** submit_sm requests outstanding at once on the bind (default 10). */
  window?: number;
  /** Idle link check period (default 30 s). */
  enquireLinkIntervalMs?: number;
  /** Wait for bind_resp, submit_sm_resp, enquire_link_resp and unbind_resp (default 10 s). */
  responseTimeoutMs?: number;
  /** Longest a message waits in the queue for a bound, open window before answering retry (default 60 s). */
  queueTimeoutMs?: number;
  /** Reconnection backoff: first delay ceiling and the cap (defaults 500 ms and 30 s). */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** Pause of the whole bind after ESME_RTHROTTLED or ESME_RMSGQFUL, also the retryAfterMs answered (default 1 s). */
  throttleBackoffMs?: number;
  /** Longest message, in segments (default 10; at most 255). */
  maxSegments?: number;
  /** Parts of a concatenated inbound message are joined; an incomplete one is passed on after this long (default 60 s). */
  inboundReassemblyMs?: number;
  /** Connection events for the operator's log; fields never hold message content or numbers. */
  log?: (event: SmppLogEvent, fields?: Record<string, string | number>) => void;
};

/** Connection-level events reported through `log`. */
export type SmppLogEvent = 'connecting' | 'bound' | 'bind_failed' | 'disconnected' | 'link_timeout';

/** Where the bind stands: dialling or binding, ready to submit, or closed for good. */
export type SmppState = 'connecting' | 'bound' | 'closed';

/** The SMPP channel: an SMS channel with delivery receipts and inbound messages. */
export interface SmppChannel extends SmsChannel {
  readonly state: SmppState;
  onReceipt(listener: (receipt: DeliveryReceipt) => void): Unsubscribe;
  onInbound(listener: (message: InboundSms) => void): Unsubscribe;
}

type SegmentResult = SendResult;

// One submit_sm: the parameters it is sent with and how its answer reaches the message it belongs to.
type Submit = {
  params: Record<string, unknown>;
  job: Job;
  index: number;
  enqueuedAt: number;
  settled: boolean;
  sequence?: number;
  timer?: NodeJS.Timeout;
};

// FIFO of submits waiting for the window. Shifting a plain array is linear in its length, and a large
// alert can queue many thousands.
class SubmitQueue {
  #items: Submit[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(submit: Submit): void {
    this.#items.push(submit);
  }

  shift(): Submit | undefined {
    const submit = this.#items[this.#head];
    if (submit === undefined) return undefined;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return submit;
  }

  /** Returns a submit taken by `shift` to the front, when it could not be written. */
  putBack(submit: Submit): void {
    if (this.#head > 0) {
      this.#head -= 1;
      this.#items[this.#head] = submit;
    } else {
      this.#items.unshift(submit);
    }
  }

  removeWhere(predicate: (submit: Submit) => boolean): Submit[] {
    const live = this.#items.slice(this.#head);
    const removed = live.filter(predicate);
    if (removed.length > 0) this.#items = live.filter((s) => !predicate(s));
    else this.#items = live;
    this.#head = 0;
    return removed;
  }

  takeAll(): Submit[] {
    const all = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return all;
  }
}

// One message, possibly several concatenated segments, answered once all of them are.
type Job = {
  results: (SegmentResult | undefined)[];
  remaining: number;
  aborted: boolean;
  receipts: ReceiptGroup | undefined;
  resolve: (result: SendResult) => void;
};

// Receipts of a concatenated message come per segment; they are folded into one receipt for the first
// segment's id, which is the id `send` answered.
type ReceiptGroup = {
  providerId: string | undefined;
  ids: string[];
  expected: number;
  reported: number;
  failure?: DeliveryReceipt;
};

type InboundParts = {
  parts: (string | undefined)[];
  received: number;
  timer: NodeJS.Timeout;
  from: string;
  to: string;
};

const MAX_RECEIPT_GROUP_IDS = 100_000;

/** Opens the bind right away (so receipts and replies flow without waiting for a first send). */
export function createSmppChannel(config: SmppChannelConfig): SmppChannel {
  return new SmppClient(config);
}

class SmppClient implements SmppChannel {
  readonly name = 'sms-smpp';
  readonly kind = 'sms' as const;

  readonly #config: Required<Omit<SmppChannelConfig, 'systemType' | 'sourceTon' | 'sourceNpi' | 'log'>> & {
    systemType: string;
    sourceTon: number;
    sourceNpi: number;
  };
  readonly #log: NonNullable<SmppChannelConfig['log']>;
  readonly #receipts = new Listeners<DeliveryReceipt>();
  readonly #inbound = new Listeners<InboundSms>();

  #state: SmppState = 'connecting';
  #closing = false;
  #session: smpp.Session | undefined;
  #bound = false;
  #reconnectAttempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #bindTimer: NodeJS.Timeout | undefined;
  #enquireTimer: NodeJS.Timeout | undefined;
  #enquireWait: NodeJS.Timeout | undefined;
  #pauseTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #pausedUntil = 0;
  readonly #queue = new SubmitQueue();
  readonly #inFlight = new Map<number, Submit>();
  #drained: (() => void) | undefined;
  #closed: Promise<void> | undefined;
  #reference = Math.floor(Math.random() * 256);
  readonly #receiptGroups = new Map<string, ReceiptGroup>();
  readonly #inboundParts = new Map<string, InboundParts>();

  constructor(config: SmppChannelConfig) {
    const numeric = /^\+?\d+$/.test(config.sourceAddr);
    this.#config = {
      host: config.host,
      port: config.port,
      systemId: config.systemId,
      password: config.password,
      systemType: config.systemType ?? '',
      sourceAddr: config.sourceAddr.replace(/^\+/, ''),
      sourceTon: config.sourceTon ?? (numeric ? TON_INTERNATIONAL : TON_ALPHANUMERIC),
      sourceNpi: config.sourceNpi ?? (numeric ? NPI_ISDN : 0),
      window: wholeNumber(config.window, 10, 1, Number.MAX_SAFE_INTEGER, 'window'),
      enquireLinkIntervalMs: positive(config.enquireLinkIntervalMs, 30_000, 'enquireLinkIntervalMs'),
      responseTimeoutMs: positive(config.responseTimeoutMs, 10_000, 'responseTimeoutMs'),
      queueTimeoutMs: positive(config.queueTimeoutMs, 60_000, 'queueTimeoutMs'),
      reconnectBaseMs: positive(config.reconnectBaseMs, 500, 'reconnectBaseMs'),
      reconnectMaxMs: positive(config.reconnectMaxMs, 30_000, 'reconnectMaxMs'),
      throttleBackoffMs: positive(config.throttleBackoffMs, 1000, 'throttleBackoffMs'),
      maxSegments: wholeNumber(config.maxSegments, 10, 1, MAX_SMS_SEGMENTS, 'maxSegments'),
      inboundReassemblyMs: positive(config.inboundReassemblyMs, 60_000, 'inboundReassemblyMs'),
    };
    this.#log = config.log ?? (() => {});
    this.#connect();
  }

  get state(): SmppState {
    return this.#state;
  }

  onReceipt(listener: (receipt: DeliveryReceipt) => void): Unsubscribe {
    return this.#receipts.add(listener);
  }

  onInbound(listener: (message: InboundSms) => void): Unsubscribe {
    return this.#inbound.add(listener);
  }

  send(message: OutboundMessage): Promise<SendResult> {
    if (this.#closing) return Promise.resolve(retry('channel.closed'));
    if (!isE164(message.to)) return Promise.resolve(failed('sms.rejected_number', 'not an E.164 number'));
    const length = checkSmsLength(message.text, this.#config.maxSegments);
    if (!length.ok) {
      return Promise.resolve(
        failed('message.too_long', `${length.sms.segments} segments, limit ${length.maxSegments}`),
      );
    }
    const { encoding } = length.sms;
    const segments = splitSms(message.text);
    const reference = segments.length > 1 ? this.#nextReference() : 0;
    return new Promise<SendResult>((resolve) => {
      const job: Job = {
        results: segments.map(() => undefined),
        remaining: segments.length,
        aborted: false,
        receipts:
          segments.length > 1
            ? { providerId: undefined, ids: [], expected: segments.length, reported: 0 }
            : undefined,
        resolve,
      };
      const now = Date.now();
      segments.forEach((text, index) => {
        const udh =
          segments.length > 1
            ? Buffer.from([0x05, 0x00, 0x03, reference, segments.length, index + 1])
            : Buffer.alloc(0);
        const payload = encoding === 'GSM-7' ? encodeGsm7(text) : encodeUcs2(text);
        this.#queue.push({
          params: {
            source_addr_ton: this.#config.sourceTon,
            source_addr_npi: this.#config.sourceNpi,
            source_addr: this.#config.sourceAddr,
            dest_addr_ton: TON_INTERNATIONAL,
            dest_addr_npi: NPI_ISDN,
            destination_addr: message.to.slice(1),
            esm_class: segments.length > 1 ? ESM_CLASS_UDH_INDICATOR : 0,
            registered_delivery: 1,
            data_coding: DATA_CODING[encoding],
            short_message: Buffer.concat([udh, payload]),
          },
          job,
          index,
          enqueuedAt: now,
          settled: false,
        });
      });
      this.#armSweep();
      this.#pump();
    });
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutDown();
    return this.#closed;
  }

  async #shutDown(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#sweepTimer);
    clearTimeout(this.#pauseTimer);
    for (const submit of this.#queue.takeAll()) this.#settle(submit, retry('channel.closed'));
    if (this.#inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
    }
    const session = this.#session;
    if (session && this.#bound) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#config.responseTimeoutMs);
        const sentUnbind = session.send(new smpp.PDU('unbind'), () => {
          clearTimeout(timer);
          resolve();
        });
        if (!sentUnbind) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    this.#teardown();
    if (session) await new Promise<void>((resolve) => session.destroy(resolve));
    for (const parts of this.#inboundParts.values()) clearTimeout(parts.timer);
    this.#inboundParts.clear();
    this.#state = 'closed';
  }

  #connect(): void {
    if (this.#closing) return;
    this.#state = 'connecting';
    this.#log('connecting', { attempt: this.#reconnectAttempt });
    const session = smpp.connect({ host: this.#config.host, port: this.#config.port });
    // Submits are small writes answered one by one; Nagle's algorithm would hold them back for the
    // peer's delayed acknowledgement and halve the throughput of the window.
    session.socket.setNoDelay(true);
    this.#session = session;
    session.on('connect', () => this.#bind(session));
    session.on('error', () => {
      // 'close' follows every socket error; reconnection is handled there.
    });
    session.on('close', () => this.#onClose(session));
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: smpp.PDU) => this.#onDeliver(session, pdu));
    session.on('data_sm', (pdu: smpp.PDU) => this.#onDeliver(session, pdu));
  }

  #bind(session: smpp.Session): void {
    this.#bindTimer = setTimeout(() => {
      this.#log('bind_failed', { reason: 'timeout' });
      session.destroy();
    }, this.#config.responseTimeoutMs);
    const pdu = new smpp.PDU('bind_transceiver', {
      system_id: this.#config.systemId,
      password: this.#config.password,
      system_type: this.#config.systemType,
      interface_version: SMPP_VERSION_3_4,
    });
    session.send(pdu, (response) => {
      clearTimeout(this.#bindTimer);
      if (session !== this.#session) return;
      if (response.command_status !== SMPP_STATUS.OK) {
        this.#log('bind_failed', { status: hex(response.command_status) });
        session.destroy();
        return;
      }
      this.#bound = true;
      this.#reconnectAttempt = 0;
      this.#state = 'bound';
      this.#log('bound');
      this.#enquireTimer = setInterval(() => this.#enquireLink(session), this.#config.enquireLinkIntervalMs);
      this.#pump();
    });
  }

  #enquireLink(session: smpp.Session): void {
    if (this.#enquireWait) return;
    this.#enquireWait = setTimeout(() => {
      this.#enquireWait = undefined;
      this.#log('link_timeout');
      session.destroy();
    }, this.#config.responseTimeoutMs);
    session.send(new smpp.PDU('enquire_link'), () => {
      clearTimeout(this.#enquireWait);
      this.#enquireWait = undefined;
    });
  }

  #onClose(session: smpp.Session): void {
    if (session !== this.#session) return;
    const wasBound = this.#bound;
    this.#teardown();
    this.#session = undefined;
    // The SMS centre may or may not have taken a submit whose answer died with the connection; the
    // caller decides about sending again, and records that it did.
    for (const submit of [...this.#inFlight.values()]) {
      this.#settle(submit, retry('sms.connection_lost'));
    }
    if (this.#closing) return;
    if (wasBound) this.#log('disconnected');
    this.#reconnectAttempt += 1;
    const delay = Math.max(
      this.#config.reconnectBaseMs / 4,
      nextRetryDelay(
        this.#reconnectAttempt,
        { baseMs: this.#config.reconnectBaseMs, maxMs: this.#config.reconnectMaxMs, factor: 2 },
        Math.random,
      ),
    );
    this.#state = 'connecting';
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  #teardown(): void {
    this.#bound = false;
    clearTimeout(this.#bindTimer);
    clearInterval(this.#enquireTimer);
    clearTimeout(this.#enquireWait);
    this.#enquireWait = undefined;
  }

  #pump(): void {
    const session = this.#session;
    if (!session || !this.#bound) return;
    const now = Date.now();
    if (now < this.#pausedUntil) {
      if (!this.#pauseTimer) {
        this.#pauseTimer = setTimeout(() => {
          this.#pauseTimer = undefined;
          this.#pump();
        }, this.#pausedUntil - now);
      }
      return;
    }
    while (this.#inFlight.size < this.#config.window && this.#queue.length > 0) {
      const submit = this.#queue.shift()!;
      if (submit.job.aborted) {
        this.#settle(submit, retry('sms.connection_lost'));
        continue;
      }
      const pdu = new smpp.PDU('submit_sm', submit.params);
      const written = session.send(pdu, (response) => this.#onSubmitResponse(submit, response));
      if (!written) {
        this.#queue.putBack(submit);
        return;
      }
      submit.sequence = pdu.sequence_number;
      this.#inFlight.set(pdu.sequence_number, submit);
      submit.timer = setTimeout(() => {
        this.#settle(submit, retry('sms.timeout'));
        this.#pump();
      }, this.#config.responseTimeoutMs);
    }
  }

  #onSubmitResponse(submit: Submit, response: smpp.PDU): void {
    if (submit.settled) return;
    const result = this.#resultOf(response);
    const group = submit.job.receipts;
    if (group && result.status === 'sent' && result.providerId) {
      // Registered as each answer comes in, since a segment's receipt can overtake a later segment's answer.
      if (submit.index === 0) group.providerId = result.providerId;
      group.ids.push(result.providerId);
      this.#receiptGroups.set(result.providerId, group);
      this.#trimReceiptGroups();
    }
    this.#settle(submit, result);
    this.#pump();
  }

  #resultOf(response: smpp.PDU): SendResult {
    const status = response.command_status;
    const backoff = this.#config.throttleBackoffMs;
    switch (status) {
      case SMPP_STATUS.OK: {
        const id = typeof response.message_id === 'string' ? response.message_id : '';
        return sent(id === '' ? undefined : id);
      }
      case SMPP_STATUS.THROTTLED:
        this.#pausedUntil = Date.now() + backoff;
        return retry('sms.throttled', { retryAfterMs: backoff });
      case SMPP_STATUS.MESSAGE_QUEUE_FULL:
        this.#pausedUntil = Date.now() + backoff;
        return retry('sms.queue_full', { retryAfterMs: backoff });
      case SMPP_STATUS.INVALID_DESTINATION:
      case SMPP_STATUS.INVALID_DESTINATION_TON:
      case SMPP_STATUS.INVALID_DESTINATION_NPI:
        return failed('sms.rejected_number', `command_status ${hex(status)}`);
      case SMPP_STATUS.INVALID_MESSAGE_LENGTH:
        return failed('message.too_long', `command_status ${hex(status)}`);
      case SMPP_STATUS.SYSTEM_ERROR:
      case SMPP_STATUS.TEMPORARY_APP_ERROR:
      case SMPP_STATUS.INVALID_BIND_STATUS:
        return retry('sms.smsc_error', { detail: `command_status ${hex(status)}` });
      default:
        return failed('sms.rejected', `command_status ${hex(status)}`);
    }
  }

  // Records one segment's outcome; the message is answered once every segment is, or at the first
  // segment that did not go (its queued siblings are then not sent at all).
  #settle(submit: Submit, result: SegmentResult): void {
    if (submit.settled) return;
    submit.settled = true;
    clearTimeout(submit.timer);
    if (submit.sequence !== undefined && this.#inFlight.get(submit.sequence) === submit) {
      this.#inFlight.delete(submit.sequence);
    }
    const job = submit.job;
    job.results[submit.index] = result;
    job.remaining -= 1;
    if (result.status !== 'sent') job.aborted = true;
    if (job.remaining === 0) job.resolve(this.#combine(job));
    if (this.#inFlight.size === 0 && this.#drained) {
      const drained = this.#drained;
      this.#drained = undefined;
      drained();
    }
  }

  // A message went only if every segment did; otherwise the first real problem is its answer (a
  // segment skipped because a sibling failed reports no problem of its own).
  #combine(job: Job): SendResult {
    const results = job.results as SendResult[];
    const problem =
      results.find((r) => r.status !== 'sent' && r.code !== 'sms.connection_lost') ??
      results.find((r) => r.status !== 'sent');
    if (problem) {
      for (const id of job.receipts?.ids ?? []) this.#receiptGroups.delete(id);
      return problem;
    }
    const first = results[0];
    return sent(first?.status === 'sent' ? first.providerId : undefined);
  }

  #trimReceiptGroups(): void {
    while (this.#receiptGroups.size > MAX_RECEIPT_GROUP_IDS) {
      const oldest = this.#receiptGroups.keys().next().value;
      if (oldest === undefined) break;
      this.#receiptGroups.delete(oldest);
    }
  }

  // Expires queued messages that waited too long for a bound, open window: the connection is down, the
  // bind is refused, or the centre is slower than the caller's supply.
  #armSweep(): void {
    if (this.#sweepTimer || this.#queue.length === 0) return;
    const period = Math.max(10, Math.min(1000, this.#config.queueTimeoutMs / 4));
    this.#sweepTimer = setTimeout(() => {
      this.#sweepTimer = undefined;
      const limit = Date.now() - this.#config.queueTimeoutMs;
      const expired = this.#queue.removeWhere((s) => s.enqueuedAt <= limit || s.job.aborted);
      if (expired.length > 0) {
        const code: ChannelCode = this.#bound ? 'sms.timeout' : 'sms.unavailable';
        for (const submit of expired) {
          this.#settle(submit, submit.job.aborted ? retry('sms.connection_lost') : retry(code));
        }
      }
      this.#armSweep();
    }, period);
    this.#sweepTimer.unref();
  }

  #nextReference(): number {
    this.#reference = (this.#reference + 1) % 256;
    return this.#reference;
  }

  #onDeliver(session: smpp.Session, pdu: smpp.PDU): void {
    try {
      const esmClass = typeof pdu.esm_class === 'number' ? pdu.esm_class : 0;
      const messageType = esmClass & ESM_CLASS_MESSAGE_TYPE;
      if (messageType === ESM_CLASS_DELIVERY_RECEIPT) this.#onReceiptPdu(pdu);
      else if (messageType === 0) this.#onInboundPdu(pdu);
      // Other message types (intermediate notifications, SME acknowledgements) carry no final state.
    } finally {
      session.send(pdu.response());
    }
  }

  #onReceiptPdu(pdu: smpp.PDU): void {
    const receipt = parseReceipt(pdu);
    if (!receipt) return;
    const group = this.#receiptGroups.get(receipt.providerId);
    if (!group) {
      this.#receipts.emit(receipt);
      return;
    }
    this.#receiptGroups.delete(receipt.providerId);
    group.reported += 1;
    if (receipt.status !== 'delivered' && !group.failure) group.failure = receipt;
    if (group.reported < group.expected || group.providerId === undefined) return;
    const folded: DeliveryReceipt = group.failure
      ? { ...group.failure, providerId: group.providerId }
      : { providerId: group.providerId, status: 'delivered' };
    this.#receipts.emit(folded);
  }

  #onInboundPdu(pdu: smpp.PDU): void {
    const { text, udh } = messageOf(pdu);
    const from = addressOf(pdu.source_addr, pdu.source_addr_ton);
    const to = addressOf(pdu.destination_addr, pdu.dest_addr_ton);
    const concat = concatenationOf(udh);
    if (!concat || concat.total <= 1) {
      this.#inbound.emit({ from, to, text });
      return;
    }
    const key = `${from}\u0000${to}\u0000${concat.reference}`;
    let entry = this.#inboundParts.get(key);
    if (!entry) {
      const created: InboundParts = {
        parts: Array.from({ length: concat.total }, () => undefined),
        received: 0,
        from,
        to,
        timer: setTimeout(() => this.#flushInbound(key), this.#config.inboundReassemblyMs),
      };
      created.timer.unref();
      this.#inboundParts.set(key, created);
      entry = created;
    }
    const slot = concat.sequence - 1;
    if (slot < 0 || slot >= entry.parts.length || entry.parts[slot] !== undefined) return;
    entry.parts[slot] = text;
    entry.received += 1;
    if (entry.received === entry.parts.length) this.#flushInbound(key);
  }

  #flushInbound(key: string): void {
    const entry = this.#inboundParts.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#inboundParts.delete(key);
    this.#inbound.emit({ from: entry.from, to: entry.to, text: entry.parts.map((p) => p ?? '').join('') });
  }
}

function wholeNumber(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number`);
  return value;
}

function hex(status: number): string {
  return `0x${status.toString(16).padStart(8, '0')}`;
}

// The channel hands node-smpp bytes, not strings: given a string, node-smpp picks data_coding 1 (IA5)
// or 3 (Latin-1) on its own, maps data_coding 0 through a process-wide default, and turns characters it
// cannot encode into spaces. The segmenting in sms-encoding.ts decides GSM-7 or UCS-2; these encoders
// write exactly that.
//
// GSM 03.38 default alphabet in code order, and the extension table's characters with their codes
// (each sent after the escape 0x1B). Unpacked, one septet per octet, as SMPP's data_coding 0 carries it.
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION: Record<string, number> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};
const GSM7_CODES = new Map([...GSM7_BASIC].map((char, code) => [char, code]));

/** Encodes a GSM-7 text as unpacked septets; the caller has checked every character is encodable. */
export function encodeGsm7(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const extension = GSM7_EXTENSION[char];
    if (extension !== undefined) bytes.push(0x1b, extension);
    else bytes.push(GSM7_CODES.get(char) ?? 0x20);
  }
  return Buffer.from(bytes);
}

/** Encodes a text as UCS-2 (UTF-16 big-endian; characters beyond the BMP go as surrogate pairs). */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

// The text of a deliver_sm or data_sm, as node-smpp decoded it by data_coding: short_message, or the
// message_payload TLV that carries longer texts instead.
function messageOf(pdu: smpp.PDU): { text: string; udh: Buffer[] } {
  const short = isDecoded(pdu.short_message) ? pdu.short_message : undefined;
  const payload = isDecoded(pdu.message_payload) ? pdu.message_payload : undefined;
  const decoded = short && short.message.length > 0 ? short : (payload ?? short);
  if (!decoded) return { text: '', udh: [] };
  const text = typeof decoded.message === 'string' ? decoded.message : decoded.message.toString('latin1');
  return { text, udh: decoded.udh ?? [] };
}

function isDecoded(value: unknown): value is smpp.DecodedMessage {
  return typeof value === 'object' && value !== null && 'message' in value;
}

function addressOf(address: unknown, ton: unknown): string {
  const text = typeof address === 'string' ? address : '';
  return ton === TON_INTERNATIONAL && /^\d+$/.test(text) ? `+${text}` : text;
}

function concatenationOf(udh: Buffer[]): { reference: number; total: number; sequence: number } | undefined {
  for (const element of udh) {
    if (element[0] === 0x00 && element[1] === 0x03 && element.length >= 5) {
      return { reference: element[2]!, total: element[3]!, sequence: element[4]! };
    }
    if (element[0] === 0x08 && element[1] === 0x04 && element.length >= 6) {
      return { reference: (element[2]! << 8) | element[3]!, total: element[4]!, sequence: element[5]! };
    }
  }
  return undefined;
}

// message_state values of SMPP 3.4 §5.2.28.
const MESSAGE_STATES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/**
 * Reads a delivery receipt: the message id from the receipted_message_id TLV or the `id:` field of the
 * receipt text (SMPP 3.4 Appendix B), the state from the `stat:` field or the message_state TLV.
 * Intermediate states (ENROUTE, ACCEPTD) give undefined.
 */
export function parseReceipt(pdu: smpp.PDU): DeliveryReceipt | undefined {
  const { text } = messageOf(pdu);
  const id =
    typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id !== ''
      ? pdu.receipted_message_id
      : /(?:^|\s)id:(\S+)/i.exec(text)?.[1];
  const stat =
    /(?:^|\s)stat:(\w+)/i.exec(text)?.[1]?.toUpperCase() ??
    (typeof pdu.message_state === 'number' ? MESSAGE_STATES[pdu.message_state] : undefined);
  if (!id || !stat) return undefined;
  switch (stat) {
    case 'DELIVRD':
      return { providerId: id, status: 'delivered' };
    case 'EXPIRED':
      return { providerId: id, status: 'expired', code: 'sms.expired' };
    case 'UNDELIV':
      return { providerId: id, status: 'failed', code: 'sms.undeliverable' };
    case 'REJECTD':
      return { providerId: id, status: 'failed', code: 'sms.rejected' };
    case 'DELETED':
      return { providerId: id, status: 'failed', code: 'sms.deleted' };
    case 'UNKNOWN':
      return { providerId: id, status: 'failed', code: 'sms.unknown_state' };
    default:
      return undefined;
  }
}
